require('dotenv').config();
const express = require('express');
const app = express();

app.use(express.static('client'));
app.get('/config', (req, res) => res.send({ publishableKey: process.env.STRIPE_PUBLISHABLE_KEY }));
app.listen(4242, () => console.log('Node server listening on port 4242!'));
