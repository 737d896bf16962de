const stripe = Stripe('pk_live_51edod7YBXr4AG3dlLoPIqgHWnAvFVV0gFuegtPw8DAu18EsBBTgPwcgbRxNaxRMxewaaLDSzak6CkUUhjtz5Bz7r00K8MyELu5');
document.getElementById('buy').addEventListener('click', () => stripe.redirectToCheckout({ sessionId: window.SESSION_ID }));
