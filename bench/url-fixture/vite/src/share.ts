import { pictify } from './lib/pictify';
export async function renderCard(title: string): Promise<string> {
  return pictify('/image', { html: `<h1>${title}</h1>` });
}
