const PICTIFY_API_KEY = import.meta.env.VITE_PICTIFY_API_KEY;
export async function pictify(path: string, body: unknown): Promise<string> {
  const res = await fetch('https://api.pictify.io' + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${PICTIFY_API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()).url;
}
