'use strict'

module.exports = async function (fastify) {
  fastify.get('/:id/image', async (req, reply) => {
    const img = await fastify.pictify.images.create({ html: `<h1>Ticket ${req.params.id}</h1>` })
    return reply.redirect(img.url)
  })
}
