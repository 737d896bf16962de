<div id="preview"></div>
<script>
  async function preview(html) {
    const res = await fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: { Authorization: 'Bearer <?= esc($pictifyKey, 'js') ?>', 'Content-Type': 'application/json' },
      body: JSON.stringify({ html }),
    });
    document.getElementById('preview').innerHTML = `<img src="${(await res.json()).url}">`;
  }
</script>
