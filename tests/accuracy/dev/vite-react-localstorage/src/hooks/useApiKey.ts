import { useState } from 'react';

const STORAGE_SLOT = 'pictify.apiKey';

export function useApiKey() {
  const [key, setKey] = useState(() => localStorage.getItem(STORAGE_SLOT) ?? '');
  function save(next: string) {
    localStorage.setItem('pictifyApiKey', next);
    setKey(next);
  }
  return { key, save };
}
