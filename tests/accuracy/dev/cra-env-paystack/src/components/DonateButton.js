import React from 'react';
import { usePaystackPayment } from 'react-paystack';

const config = {
  reference: new Date().getTime().toString(),
  email: 'donor@example.org',
  amount: 500000,
  publicKey: 'pk_test_b5ed3cc877a6e7fb5ebb291d20d26b33ff7e45aa',
};

export default function DonateButton() {
  const initializePayment = usePaystackPayment(config);
  return <button onClick={() => initializePayment()}>Donate</button>;
}
