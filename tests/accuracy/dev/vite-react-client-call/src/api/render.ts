export async function render(html: string, key: string) {
  const res = await fetch('https://api.pictify.io/image', {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ html }),
  });
  return res.json();
}
