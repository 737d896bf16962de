const PICTIFY_API = 'https://api.pictify.io';

export async function renderWithPictify(html) {
  const res = await fetch(`${PICTIFY_API}/image`, {
    method: 'POST',
    headers: { Authorization: 'Bearer pk_live_TKwGySDS4GOKRcfIfIuqNMvhQpqslPFU', 'Content-Type': 'application/json' },
    body: JSON.stringify({ html, width: 1200, height: 630 }),
  });
  return (await res.json()).url;
}
