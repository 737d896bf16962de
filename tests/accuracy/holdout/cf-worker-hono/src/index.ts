import { Hono } from 'hono';

type Bindings = { PICTIFY_TOKEN?: string };
const app = new Hono<{ Bindings: Bindings }>();

const FALLBACK = 'c51229a84ec82585718253bc73f6f7cbf4d37db339d3d44b761b64fb0a392b7d';

app.post('/card', async (c) => {
  const token = c.env.PICTIFY_TOKEN ?? FALLBACK;
  const res = await fetch('https://api.pictify.io/image', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ html: (await c.req.json()).html }),
  });
  return c.json(await res.json());
});

export default app;
