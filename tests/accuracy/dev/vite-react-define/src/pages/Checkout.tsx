import { Elements } from '@stripe/react-stripe-js';
import { loadStripe } from '@stripe/stripe-js';
import { PaymentForm } from '../components/PaymentForm';

const stripe = loadStripe('pk_test_Jj7axLGCiBkXNYqoRuFcJRqQ');

export default function Checkout() {
  return (
    <Elements stripe={stripe}>
      <PaymentForm />
    </Elements>
  );
}
