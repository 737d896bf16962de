import { PICTIFY_API_KEY } from '$env/static/private';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, fetch }) => {
  const res = await fetch('https://api.pictify.io/templates/og-post/render', {
    method: 'POST',
    headers: { Authorization: `Bearer ${PICTIFY_API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ variables: { slug: params.slug } }),
  });
  const { results } = await res.json();
  return Response.redirect(results[0].url, 302);
};
