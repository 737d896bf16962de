document.querySelector('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('/api/render', { method: 'POST', body: JSON.stringify({ html: e.target.html.value }) });
  document.querySelector('img').src = (await res.json()).url;
});
