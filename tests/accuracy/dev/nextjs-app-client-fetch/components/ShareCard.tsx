'use client';

import { useState } from 'react';

const RENDER_KEY = 'pk_live_sOEiqcZrDb1cDQYEV4nK9E6pGOlpOotg';
const IMAGE_API = 'https://api.pictify.io/image';

export function ShareCard({ html }: { html: string }) {
  const [url, setUrl] = useState<string | null>(null);

  async function render() {
    const res = await fetch(IMAGE_API, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${RENDER_KEY}`,
      },
      body: JSON.stringify({ html, width: 1200, height: 630, fileExtension: 'png' }),
    });
    const data = await res.json();
    setUrl(data.url);
  }

  return (
    <div>
      <button onClick={render}>Create share image</button>
      {url && <img src={url} alt="share card" />}
    </div>
  );
}
