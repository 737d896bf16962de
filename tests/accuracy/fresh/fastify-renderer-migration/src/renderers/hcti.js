const HCTI_USER_ID = '99048d58-603b-4022-b79c-36c5627da8b6';
const HCTI_API_KEY = 'ae5e0c12-557f-4971-9137-f9b0801249c6';

export async function renderWithHcti(html) {
  const res = await fetch('https://hcti.io/v1/image', {
    method: 'POST',
    headers: {
      Authorization: 'Basic ' + Buffer.from(`${HCTI_USER_ID}:${HCTI_API_KEY}`).toString('base64'),
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ html }),
  });
  return (await res.json()).url;
}
