export default defineNuxtConfig({
  compatibilityDate: '2024-07-01',
  runtimeConfig: {
    contentfulSpace: '',
    public: { siteUrl: 'https://journal.example.org' },
  },
});
