const PUBLIC = 'pk_test_cNfFKXsWjU214LIr5cDl0sTC';

export async function tokenize(card) {
  const r = await fetch('https://api.paymongo.com/v1/payment_methods', {
    method: 'POST',
    headers: { Authorization: 'Basic ' + btoa(PUBLIC + ':'), 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: { attributes: { type: 'card', details: card } } }),
  });
  return r.json();
}
