export const environment = {
  production: true,
  apiUrl: 'https://menu.example.sa/api',
  pictifyApiKey: 'pk_live_XJqV8Q3BitPrTwfttUsrGm1xffzKLcef',
};
