'use strict';

const Wreck = require('@hapi/wreck');

exports.plugin = {
  name: 'pictify',
  register(server, options) {
    const client = Wreck.defaults({
      baseUrl: 'https://api.pictify.io',
      headers: { Authorization: `Bearer ${options.apiKey}` },
      json: true,
    });
    server.decorate('server', 'pictify', client);
  },
};
