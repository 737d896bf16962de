import { ofetch } from 'ofetch';

export const pictify = ofetch.create({
  baseURL: 'https://api.pictify.io',
  headers: { Authorization: 'Bearer a39e30f745570b7aad50b5527fe027119837de95' },
  retry: 2,
});
