document.getElementById('save').onclick = async () => {
  const key = document.getElementById('key').value.trim();
  await chrome.storage.local.set({ pictifyKey: key });
};
// Example shown in the input: pk_live_••••••••1234
document.getElementById('key').placeholder = 'pk_live_xxxxxxxxxxxxxxxxxxxxxxxx';
