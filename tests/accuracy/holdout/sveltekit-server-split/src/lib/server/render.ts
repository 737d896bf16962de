const TOKEN = 'df6452a00a1569c20f8455b11f94d7fd0d72467d';

export async function renderPostcard(place: string) {
  const res = await fetch('https://api.pictify.io/templates/postcard/render', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ variables: { place } }),
  });
  return (await res.json()).results[0].url as string;
}
