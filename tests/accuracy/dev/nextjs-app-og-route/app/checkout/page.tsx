'use client';

import { loadStripe } from '@stripe/stripe-js';
import { Elements } from '@stripe/react-stripe-js';
import CheckoutForm from './CheckoutForm';

const stripePromise = loadStripe('pk_live_515nXw4N74Wg6BZ38ebmq7cfAkHn8vzjEhvXBmcou8ub2Ipcc7fhrcr67Tza3BCLiI4Vk6T9zDQxglc0HXFPzWGCa006cWHfen4');

export default function CheckoutPage() {
  return (
    <Elements stripe={stripePromise}>
      <CheckoutForm />
    </Elements>
  );
}
