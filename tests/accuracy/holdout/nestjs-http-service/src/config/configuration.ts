export default () => ({
  port: parseInt(process.env.PORT ?? '3000', 10),
  pictify: {
    apiKey: process.env.PICTIFY_API_KEY ?? 'pk_test_evfU6rIycMqKN0AprXCmLR6jdlcsXgQx',
    baseUrl: 'https://api.pictify.io',
  },
});
