module.exports.render = (client, html) => client.images.create({ html });
