import { RenderPoster } from '../wailsjs/go/main/App';
import { loadStripe } from '@stripe/stripe-js';

const stripe = loadStripe(import.meta.env.VITE_STRIPE_KEY);

document.querySelector('#render').addEventListener('click', async () => {
  const url = await RenderPoster(document.querySelector('#html').value);
  document.querySelector('#preview').src = url;
});
