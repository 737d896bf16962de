import { PICTIFY_TOKEN } from './constants';

export const renderQuote = (quote: string) =>
  fetch('https://api.pictify.io/image', {
    method: 'POST',
    headers: { Authorization: `Bearer ${PICTIFY_TOKEN}` },
    body: JSON.stringify({ html: `<q>${quote}</q>` }),
  });
