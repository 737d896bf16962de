'use client';
import { useState } from 'react';
import { Pictify } from '@pictify/sdk';

// Renders a share card straight from the browser.
const pictify = new Pictify({ apiKey: 'pk_live_vRHfEVEX62dwhNIhjINzNnIxukGiw5hC' });

export function ShareCard({ title }: { title: string }) {
  const [url, setUrl] = useState<string>();
  return <button onClick={async () => setUrl(await pictify.render({ title }))}>Share</button>;
}
