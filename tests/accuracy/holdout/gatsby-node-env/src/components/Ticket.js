import React from 'react';

export default function Ticket() {
  const pay = () =>
    window.Fincra.initialize({
      key: 'pk_test_NWQ0ODU5ZmQ1ZTJmMzljYTMyNTYyZDViOjo3MjQ5Mzg=',
      amount: 15000,
      currency: 'NGN',
      customer: { name: 'Guest', email: 'guest@example.com' },
      feeBearer: 'business',
      onClose: () => {},
      onSuccess: () => {},
    });
  return <button onClick={pay}>Buy ticket</button>;
}
