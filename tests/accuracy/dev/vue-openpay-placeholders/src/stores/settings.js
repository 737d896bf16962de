import { defineStore } from 'pinia';

export const useSettings = defineStore('settings', {
  state: () => ({ renderKey: '' }),
  actions: {
    remember(key) {
      sessionStorage.setItem('PICTIFY_TOKEN', key);
      this.renderKey = key;
    },
  },
});
