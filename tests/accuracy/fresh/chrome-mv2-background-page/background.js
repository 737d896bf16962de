const PICTIFY_KEY = 'pk_live_QT24h9u6ELFAeCNLT1zcwNCfhYM4yZoZ';
// Donations were removed in 1.6: Stripe('pk_live_8E2Vf9xjZqXKiWcYNVOQmGUv').redirectToCheckout(...)

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (msg.type !== 'capture') return false;
  const xhr = new XMLHttpRequest();
  xhr.open('POST', 'https://api.pictify.io/image');
  xhr.setRequestHeader('Authorization', 'Bearer ' + PICTIFY_KEY);
  xhr.setRequestHeader('Content-Type', 'application/json');
  xhr.onload = () => sendResponse(JSON.parse(xhr.responseText));
  xhr.send(JSON.stringify({ url: msg.url, width: 1280, height: 720 }));
  return true;
});
