import Pictify from 'https://esm.sh/@pictify/sdk@1';

const key = document.querySelector('meta[name="pictify-key"]').content;
const pictify = new Pictify({ apiKey: key });

for (const el of document.querySelectorAll('[data-card]')) {
  pictify.images.create({ html: el.innerHTML, width: 600, height: 400 }).then((img) => (el.style.backgroundImage = `url(${img.url})`));
}
