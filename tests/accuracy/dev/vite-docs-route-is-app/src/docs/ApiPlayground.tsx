import { useState } from 'react';

// The in-app API playground page (route /docs/playground), rendered for every visitor.
const PLAYGROUND_TOKEN = 'pk_live_U5gfe3E8TRwNhuk4TlMMU0X7D0kh2HQo';

export default function ApiPlayground() {
  const [html, setHtml] = useState('<h1>Hello</h1>');
  async function run() {
    await fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: { Authorization: `Bearer ${PLAYGROUND_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ html }),
    });
  }
  return <button onClick={run}>Run</button>;
}
