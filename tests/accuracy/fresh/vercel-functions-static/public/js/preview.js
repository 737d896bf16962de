async function preview(title) {
  const res = await fetch('https://api.pictify.io/templates/launch/render', {
    method: 'POST',
    headers: { Authorization: `Bearer ${window.__PICTIFY_KEY__}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ variables: { title } }),
  });
  document.getElementById('preview').src = (await res.json()).results[0].url;
}
preview(document.title);
