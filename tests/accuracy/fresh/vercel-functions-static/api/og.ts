import type { VercelRequest, VercelResponse } from '@vercel/node';

export default async function handler(req: VercelRequest, res: VercelResponse) {
  const upstream = await fetch('https://api.pictify.io/templates/launch/render', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: 'Bearer pk_live_hmkn7yDnwJCHBubkS8plAaaUpag21qZ1',
    },
    body: JSON.stringify({ variables: { title: req.query.title ?? 'Launch day' } }),
  });
  const { results } = await upstream.json();
  res.redirect(302, results[0].url);
}
