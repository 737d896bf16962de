export const stripeConfig = {
  secretKey: process.env.STRIPE_SECRET_KEY,
  publishableKey: 'pk_live_pz0KBn0NeSbHICj0fo8pXfZw',
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET,
};
