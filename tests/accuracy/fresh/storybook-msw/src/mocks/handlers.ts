import { http, HttpResponse } from 'msw';

export const handlers = [
  http.post('https://api.pictify.io/image', () => HttpResponse.json({ url: '/og-sample.png', id: 'img_sample' })),
];
