import axios from 'axios';

const pictify = axios.create({
  baseURL: 'https://api.pictify.io',
  headers: { Authorization: 'Bearer pk_live_EZK8ePz1Scuoe5FquRRsVgcRA78h0SKY' },
});

export async function renderInvite(name: string) {
  const { data } = await pictify.post('/templates/invite/render', { variables: { name } });
  return data.results[0].url as string;
}
