document.querySelector('form').addEventListener('submit', (e) => {
  e.preventDefault();
  browser.storage.sync.set({ pictifyApiKey: document.querySelector('#key').value });
});
