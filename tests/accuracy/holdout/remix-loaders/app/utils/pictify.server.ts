export const pictifyHeaders = {
  Authorization: 'Bearer pk_live_QZ7n4iExS7WiAzXniBTd2hHq8UOWM6gJ',
  'Content-Type': 'application/json',
};
export const PICTIFY = 'https://api.pictify.io';
