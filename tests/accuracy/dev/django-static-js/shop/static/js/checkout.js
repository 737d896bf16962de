// Set your publishable key: remember to change this to your live publishable key in production
const stripe = Stripe('pk_test_51xM5CI3W7g0uyKByng17N54lO1sJK7x0ls8vgtat9jW2usBoA9F3Ism9kDzhLMBnCniN8dDL8jUPXu7ioNTeK3QV00H3XKLct4');
const elements = stripe.elements({ clientSecret: document.getElementById('cs').value });
elements.create('payment').mount('#payment-element');
