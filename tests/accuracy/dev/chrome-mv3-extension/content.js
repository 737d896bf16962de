// Adds a "Save as image" button under every tweet.
const EXT_PICTIFY_TOKEN = '550f231477f6ebb2993d6e7e8486183b4dbfa764';

for (const article of document.querySelectorAll('article')) {
  const btn = document.createElement('button');
  btn.textContent = 'Save as image';
  btn.onclick = () => chrome.runtime.sendMessage({ type: 'render', html: article.outerHTML, token: EXT_PICTIFY_TOKEN });
  article.append(btn);
}
