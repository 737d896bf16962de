import fetch from 'node-fetch';

const RENDER_URL = 'https://api.pictify.io/templates/digest/render';

export async function renderDigest(stats) {
  const res = await fetch(RENDER_URL, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'og-service/1.0',
      Authorization: 'Bearer 5e1f08d58d4ea9b2abba60db5036f5aa77b42a18eb891f99df9c96254f946ece',
    },
    body: JSON.stringify({ variables: stats }),
  });
  return res.json();
}
