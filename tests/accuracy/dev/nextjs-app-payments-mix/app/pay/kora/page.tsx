'use client';

import Script from 'next/script';

export default function KoraPay() {
  function pay() {
    (window as any).Korapay.initialize({
      key: 'pk_test_SjC6jPdA5sJ67nE2UG5LhaY7D6FoJcb4UiqM4Hui',
      reference: crypto.randomUUID(),
      amount: 22000,
      currency: 'NGN',
      customer: { name: 'Ada', email: 'ada@example.com' },
    });
  }
  return (
    <>
      <Script src="https://korablobstorage.blob.core.windows.net/modal-bucket/korapay-collections.min.js" />
      <button onClick={pay}>Pay with Kora</button>
    </>
  );
}
