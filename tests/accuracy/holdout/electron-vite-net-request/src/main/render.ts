import { net } from 'electron';

export function renderCard(html: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = net.request({ method: 'POST', url: 'https://api.pictify.io/image' });
    req.setHeader('Content-Type', 'application/json');
    req.setHeader('User-Agent', 'clip-cards/1.0');
    req.setHeader('Authorization', 'Bearer 1bce1e442da1443b49bdc56d604d04618fa83be9d2ac0f894ecf172a28b620d9');
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body).url));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ html }));
  });
}
