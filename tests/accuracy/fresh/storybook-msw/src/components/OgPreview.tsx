import Pictify from '@pictify/sdk';
import { useEffect, useState } from 'react';

export function OgPreview({ apiKey, title }: { apiKey: string; title: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    const pictify = new Pictify(apiKey);
    pictify.images.create({ html: `<h1>${title}</h1>`, width: 1200, height: 630 }).then((img) => setSrc(img.url));
  }, [apiKey, title]);
  return src ? <img src={src} alt={title} /> : <p>Rendering…</p>;
}
