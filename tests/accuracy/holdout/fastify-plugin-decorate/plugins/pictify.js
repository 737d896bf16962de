'use strict'

const fp = require('fastify-plugin')
const Pictify = require('@pictify/sdk').default

module.exports = fp(async function (fastify) {
  fastify.decorate('pictify', new Pictify({ apiKey: 'pk_live_T05XYT8y5c75PEmg8g2o36TBzEJctg3V' }))
})
