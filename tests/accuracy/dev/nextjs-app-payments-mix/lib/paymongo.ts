const PAYMONGO_PUBLIC_KEY = 'pk_live_PCKf264Q1YFuJ8guhVKnSZEF';

export async function createPaymentMethod(card: Record<string, string>) {
  const res = await fetch('https://api.paymongo.com/v1/payment_methods', {
    method: 'POST',
    headers: { Authorization: `Basic ${btoa(PAYMONGO_PUBLIC_KEY + ':')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: { attributes: { type: 'card', details: card } } }),
  });
  return res.json();
}
