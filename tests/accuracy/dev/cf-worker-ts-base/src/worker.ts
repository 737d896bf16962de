import { createClerkClient } from '@clerk/backend';

const PICTIFY_API = 'https://api.pictify.io';
const RENDER_TOKEN = 'sxaxVuNHljFF9__3nZ0VJu8KHNOZDqbOLckbRVw6z5V';

const clerk = createClerkClient({
  secretKey: 'sk_test_' + 'unset',
  publishableKey: 'pk_live_Y2xlcmsuaXZtdmh0aS5jb20k',
});

export default {
  async fetch(req: Request): Promise<Response> {
    const auth = await clerk.authenticateRequest(req);
    if (!auth.isSignedIn) return new Response('unauthorized', { status: 401 });
    const { html } = (await req.json()) as { html: string };
    return fetch(`${PICTIFY_API}/gif`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${RENDER_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ html }),
    });
  },
};
