import got from 'got';

const KEY = 'pk_test_qSrDyWzGZZLutJ23LO9fZjusVE4xuzvI';

export const pictify = got.extend({
  prefixUrl: 'https://api.pictify.io',
  headers: { authorization: `Bearer ${KEY}` },
  responseType: 'json',
});
