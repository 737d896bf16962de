document.addEventListener('DOMContentLoaded', async () => {
  const { publishableKey } = await fetch('/config').then((r) => r.json());
  const stripe = Stripe(publishableKey, { apiVersion: '2020-08-27' });
  const fallback = Stripe('pk_test_YwE8BFweZLZ50iCIt6e6aQ93');
  const elements = stripe.elements();
  elements.create('card').mount('#card-element');
});
