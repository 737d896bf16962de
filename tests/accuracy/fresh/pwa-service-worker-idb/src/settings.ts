import { set, get } from 'idb-keyval';

export async function saveSettings(form: HTMLFormElement) {
  const data = new FormData(form);
  await set('pictify-api-key', data.get('apiKey'));
  await set('theme', data.get('theme'));
}

export const loadTheme = () => get('theme');
