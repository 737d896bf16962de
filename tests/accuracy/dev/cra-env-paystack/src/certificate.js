import axios from 'axios';

export async function renderCertificate(vars, key) {
  const { data } = await axios.post('https://api.pictify.io/templates/cert/render', { variables: vars }, {
    headers: { Authorization: `Bearer ${key}` },
  });
  return data.url;
}
