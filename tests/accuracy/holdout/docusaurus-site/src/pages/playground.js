import React, { useState } from 'react';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';

export default function Playground() {
  const { siteConfig } = useDocusaurusContext();
  const [img, setImg] = useState(null);
  const run = async () => {
    const r = await fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: { Authorization: `Bearer ${siteConfig.customFields.playgroundKey}` },
      body: JSON.stringify({ html: '<h1>Try me</h1>' }),
    });
    setImg((await r.json()).url);
  };
  return <button onClick={run}>Run</button>;
}
