// const PICTIFY_KEY = 'pk_test_fXgdDt96FOrwScHIGug4wOmwz3hpQiYA'; // moved to background.js
document.addEventListener('mouseup', () => {
  const html = window.getSelection()?.toString();
  if (html) browser.runtime.sendMessage({ kind: 'render-selection', html: `<p>${html}</p>` });
});
