const express = require('express');
const app = express();
app.use(express.json());
app.post('/render', async (req, res) => {
  if (!/^pk_(live|test)_[A-Za-z0-9]{32}$/.test(process.env.PICTIFY_API_KEY || '')) return res.status(500).end();
  const r = await fetch('https://api.pictify.io/image', {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.PICTIFY_API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ html: req.body.html }),
  });
  res.json(await r.json());
});
module.exports = app;
