import { CapacitorHttp } from '@capacitor/core';

export async function renderPostcard(html: string): Promise<string> {
  const res = await CapacitorHttp.post({
    url: 'https://api.pictify.io/image',
    headers: { Authorization: `Bearer ${import.meta.env.VITE_PICTIFY_KEY}`, 'Content-Type': 'application/json' },
    data: { html, width: 1080, height: 1920 },
  });
  return res.data.url;
}
