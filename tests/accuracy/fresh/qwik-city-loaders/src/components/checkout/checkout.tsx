import { component$, useVisibleTask$ } from '@builder.io/qwik';
import { loadHyper } from '@juspay-tech/hyper-js';

export const Checkout = component$(() => {
  // eslint-disable-next-line qwik/no-use-visible-task
  useVisibleTask$(async () => {
    const hyper = await loadHyper('pk_snd_a8ff822708d3a9ad12df8f74bc1db3b5');
    hyper.widgets({ clientSecret: '' }).create('payment').mount('#unified-checkout');
  });
  return <div id="unified-checkout" />;
});
