import type { APIRoute } from 'astro';

export const POST: APIRoute = async ({ request }) => {
  const { name } = await request.json();
  const r = await fetch('https://api.pictify.io/templates/badge/render', {
    method: 'POST',
    headers: { Authorization: `Bearer ${import.meta.env.PICTIFY_API_KEY}` },
    body: JSON.stringify({ variables: { name } }),
  });
  return new Response(await r.text());
};
