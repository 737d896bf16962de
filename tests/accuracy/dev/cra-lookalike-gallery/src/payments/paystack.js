export function payWithPaystack(email, amount) {
  const handler = window.PaystackPop.setup({
    key: 'pk_live_173f50c2f6785084079bc77c19f02cf2d02abb1c',
    email,
    amount: amount * 100,
    callback: (r) => window.location.assign(`/paid?ref=${r.reference}`),
  });
  handler.openIframe();
}
