'use client';
import { useState } from 'react';

const PREVIEW_KEY = 'pk_test_F7gkvS9gKOa9w7ues9KAJ9F93UvahT6S';

export function ShareButton({ html }: { html: string }) {
  const [url, setUrl] = useState<string>();
  async function share() {
    const res = await fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: { Authorization: `Bearer ${PREVIEW_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ html }),
    });
    setUrl((await res.json()).url);
  }
  return url ? <img src={url} alt="" /> : <button onClick={share}>Share</button>;
}
