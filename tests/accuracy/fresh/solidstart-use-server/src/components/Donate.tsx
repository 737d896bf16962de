import { loadStripe } from "@stripe/stripe-js";

const stripe = loadStripe(import.meta.env.VITE_STRIPE_PUBLISHABLE_KEY);

export default function Donate() {
  return <button onClick={async () => (await stripe)?.redirectToCheckout({ sessionId: "" })}>Donate</button>;
}
