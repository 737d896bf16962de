import axios from 'axios';

const headers = {
  'Content-Type': 'application/json',
  Authorization: 'Bearer pk_live_SACn2a4kgpTBzEnJizDekuWGR7ZOX3TT',
};

export async function renderBadge(attendee) {
  const html = `<div class="badge"><h1>${attendee.name}</h1><p>${attendee.company}</p></div>`;
  const { data } = await axios.post('https://api.pictify.io/image', { html, width: 600, height: 400 }, { headers });
  return data.url;
}
