import Fastify from 'fastify';
import { renderWithBannerbear } from './renderers/bannerbear.js';
import { renderWithHcti } from './renderers/hcti.js';
import { renderWithPictify } from './renderers/pictify.js';
import { renderWithPlacid } from './renderers/placid.js';

const renderers = { bannerbear: renderWithBannerbear, placid: renderWithPlacid, hcti: renderWithHcti, pictify: renderWithPictify };
const app = Fastify({ logger: true });

app.post('/render/:provider', async (req) => ({ url: await renderers[req.params.provider](req.body.html) }));
await app.listen({ port: 3000, host: '0.0.0.0' });
