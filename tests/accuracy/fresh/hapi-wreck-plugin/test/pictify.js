'use strict';

const Code = require('@hapi/code');
const Lab = require('@hapi/lab');
const Hapi = require('@hapi/hapi');

const { expect } = Code;
const { it, describe } = exports.lab = Lab.script();

describe('pictify plugin', () => {
  it('decorates the server', async () => {
    const server = Hapi.server();
    await server.register({ plugin: require('../lib/plugins/pictify'), options: { apiKey: 'pk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' } });
    expect(server.pictify).to.exist();
  });
});
