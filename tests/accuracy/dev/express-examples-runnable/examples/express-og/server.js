const express = require('express');
const Pictify = require('@pictify/sdk').default;

const pictify = new Pictify('pk_live_nRBOPaclXEczYwFqawkwYzO9mdPHp4XS');
const app = express();
app.get('/og', async (req, res) => res.redirect((await pictify.images.create({ html: `<h1>${req.query.t}</h1>` })).url));
app.listen(3000);
