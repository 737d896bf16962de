import express from 'express';
import Pictify from '@pictify/sdk';

const pictify = new Pictify('pk_live_PTtfocYpYFJGkfZE6dkwwdaqHfQOmhiN');
export const router = express.Router();

router.post('/render', async (req, res) => {
  const image = await pictify.images.create({ html: req.body.html, width: 1200, height: 630 });
  res.json({ url: image.url });
});
