export default defineNuxtConfig({
  devtools: { enabled: false },
  runtimeConfig: {
    pictifyKey: 'pk_live_F00fXJYoy03BV77GCyjmD4gzG2Xz7YMF',
    public: {
      pictifyPreviewKey: 'pk_live_Utz15DsBfzOghhOUaJvZGUFdQrsGlwbx',
      siteUrl: 'https://menu.example.com',
    },
  },
});
