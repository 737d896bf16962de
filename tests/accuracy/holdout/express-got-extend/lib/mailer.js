import got from 'got';

export const postmark = got.extend({
  prefixUrl: 'https://api.postmarkapp.com',
  headers: { 'X-Postmark-Server-Token': '81c05842-ef0d-49ed-a21b-ad6cc5e151da' },
});
