export async function renderWithPlacid(templateUuid, layers) {
  const res = await fetch('https://api.placid.app/api/rest/images', {
    method: 'POST',
    headers: { Authorization: 'Bearer placid-yitdahayfedcp55o-w2h04e4rq0ah2ljl', 'Content-Type': 'application/json' },
    body: JSON.stringify({ template_uuid: templateUuid, layers, create_now: true }),
  });
  return (await res.json()).image_url;
}
