const Router = require('@koa/router');
const { request } = require('undici');

const router = new Router();
const PICTIFY_TOKEN = process.env.PICTIFY_TOKEN || '660b9c70284a5142579766c98b0e0e93314eb2837d1d3f6354559e1f97fcea61';

router.post('/render', async (ctx) => {
  const photo = await request('https://api.unsplash.com/photos/random?query=mountains', {
    headers: { authorization: 'Client-ID puAM5mo3mx4HGWLen43XxyxmAKNc3jDfhSQ6IMJIWNq' },
  });
  const background = (await photo.body.json()).urls.regular;

  const { body, statusCode } = await request('https://api.pictify.io/image', {
    method: 'POST',
    headers: { authorization: `Bearer ${PICTIFY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ html: `<img src="${background}"><h1>${ctx.request.body.title}</h1>` }),
  });
  ctx.status = statusCode;
  ctx.body = await body.json();
});

module.exports = router;
