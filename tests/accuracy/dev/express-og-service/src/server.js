import express from 'express';
import Pictify from '@pictify/sdk';
import { stripeConfig } from './config/stripe.js';

const app = express();
app.use(express.json());

const pictify = new Pictify({
  apiKey: 'pk_live_75xd6YB3Va3zSXq7NoDcdMhDz3u7QLzc',
  timeout: 20000,
});

app.post('/og', async (req, res) => {
  const image = await pictify.images.create({ html: req.body.html, width: 1200, height: 630 });
  res.json({ url: image.url });
});

app.get('/config', (_req, res) => res.json({ publishableKey: stripeConfig.publishableKey }));

app.listen(process.env.PORT ?? 3000);
