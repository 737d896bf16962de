import { loadStripe } from '@stripe/stripe-js';

const stripePromise = loadStripe('pk_live_51Z6O0qN09oF6pna31FDhbtmpZIoswHDbHsVmtppgcvbs0u5K2LriKFkfCFsDXgESpCUrtUc724NjdhFkvG9yhXLp00hFpLNI6A');

export function Upgrade() {
  return <button onClick={async () => (await stripePromise)?.redirectToCheckout({ sessionId: '' })}>Go Pictify Pro</button>;
}
