import { useEffect } from 'react';

export function BuyPrints() {
  useEffect(() => {
    const yoco = new (window as any).YocoSDK({ publicKey: 'pk_live_XInw1g33ayd2N8V8ZZL1' });
    (window as any).__yoco = yoco;
  }, []);
  return <button onClick={() => (window as any).__yoco.showPopup({ amountInCents: 2500, currency: 'ZAR' })}>Buy prints</button>;
}
