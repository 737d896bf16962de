'use strict';

const Hapi = require('@hapi/hapi');

exports.init = async () => {
  const server = Hapi.server({ port: process.env.PORT || 3000 });
  await server.register({
    plugin: require('./plugins/pictify'),
    options: { apiKey: process.env.PICTIFY_API_KEY || 'pk_live_itieI27BsrFEzLaRsxRYRUwsGS4kzBbp' },
  });
  server.route({
    method: 'POST',
    path: '/badges',
    handler: async (request) => {
      const { payload } = await request.server.pictify.post('/image', { payload: { html: request.payload.html } });
      return payload;
    },
  });
  return server;
};
