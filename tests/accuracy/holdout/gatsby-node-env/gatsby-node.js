const fetch = require('node-fetch');

const SPEAKER_CARD_TOKEN = '49e845173559ddab35eafe2d21a24436e61a31521359a1641a29dd63e4d9958b';

exports.createPages = async ({ actions }) => {
  for (const speaker of require('./data/speakers.json')) {
    const r = await fetch('https://api.pictify.io/templates/speaker/render', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SPEAKER_CARD_TOKEN}` },
      body: JSON.stringify({ variables: speaker }),
    });
    const card = (await r.json()).results[0].url;
    actions.createPage({ path: `/speakers/${speaker.slug}`, component: require.resolve('./src/templates/speaker.js'), context: { card } });
  }
};
