import React from 'react';
import { Paystack } from 'react-native-paystack-webview';

export default function PayScreen({ total }: { total: number }) {
  return (
    <Paystack
      paystackKey="pk_test_ec1080b71378d129376170bffab049f7e4a505d5"
      amount={total}
      billingEmail="rider@example.com"
      onCancel={() => {}}
      onSuccess={() => {}}
    />
  );
}
