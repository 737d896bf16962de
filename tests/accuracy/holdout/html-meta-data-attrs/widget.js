(function () {
  var el = document.getElementById('card');
  fetch('https://api.pictify.io/image', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + el.dataset.renderKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ html: '<h1>Welcome</h1>' })
  }).then(function (r) { return r.json(); }).then(function (d) { el.style.backgroundImage = 'url(' + d.url + ')'; });
})();
