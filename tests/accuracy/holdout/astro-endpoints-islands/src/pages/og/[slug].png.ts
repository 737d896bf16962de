import type { APIRoute } from 'astro';

export const prerender = false;

export const GET: APIRoute = async ({ params }) => {
  const res = await fetch('https://api.pictify.io/image', {
    method: 'POST',
    headers: { Authorization: 'Bearer pk_live_ux9Tuv8B386GfvH3ZmQdq9DUo1XodmOH', 'Content-Type': 'application/json' },
    body: JSON.stringify({ html: `<h1>${params.slug}</h1>`, width: 1200, height: 630 }),
  });
  const { url } = await res.json();
  return Response.redirect(url, 302);
};
