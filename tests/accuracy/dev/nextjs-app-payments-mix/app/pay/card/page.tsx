'use client';

import { Frames, CardNumber, ExpiryDate, Cvv } from 'frames-react';

export default function CardPay() {
  return (
    <Frames config={{ publicKey: 'pk_test_0b830792-8a9d-4394-8ba7-b735146ea7d2', localization: 'EN-GB' }}>
      <CardNumber />
      <ExpiryDate />
      <Cvv />
    </Frames>
  );
}
