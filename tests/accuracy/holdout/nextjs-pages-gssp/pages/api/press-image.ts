import type { NextApiRequest, NextApiResponse } from 'next';
import Pictify from '@pictify/sdk';

const client = new Pictify('pk_live_bRDfcRwzDq3DJ6McdM8JGsgmzyjNatNl');

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const img = await client.images.create({ html: String(req.query.html ?? '<h1>Press</h1>'), width: 1200, height: 630 });
  res.status(200).json({ url: img.url });
}
