export async function printLabel(html: string) {
  const r = await fetch('/api/render', { method: 'POST', body: JSON.stringify({ html }) });
  return (await r.json()).url as string;
}
