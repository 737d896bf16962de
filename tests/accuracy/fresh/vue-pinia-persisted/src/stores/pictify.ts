import { defineStore } from 'pinia';

export const usePictifyStore = defineStore('pictify', {
  state: () => ({ apiKey: '', lastRender: null as string | null }),
  actions: {
    setKey(key: string) {
      this.apiKey = key;
    },
  },
  persist: { storage: localStorage, paths: ['apiKey'] },
});
