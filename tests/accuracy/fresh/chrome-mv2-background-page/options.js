document.getElementById('save').addEventListener('click', () => {
  const key = document.getElementById('apiKey').value.trim();
  localStorage.setItem('pictify_api_key', key);
  chrome.runtime.sendMessage({ type: 'key-changed' });
});
