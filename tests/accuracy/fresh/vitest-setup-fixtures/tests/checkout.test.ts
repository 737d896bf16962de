import { expect, it, vi } from 'vitest';
import { loadStripe } from '@stripe/stripe-js';

vi.mock('@stripe/stripe-js', () => ({ loadStripe: vi.fn(async () => ({ redirectToCheckout: vi.fn() })) }));

it('loads Stripe with the publishable key', async () => {
  await loadStripe('pk_test_51Mc6uD1GytaceqvujYfOuzQw44hTw3C9zi51z97PBuiWAPz8EbnKIopjQqrw3EDtdE4axMH1ep7bq1ziYw8jomYX00kmHA9sN3');
  expect(loadStripe).toHaveBeenCalledOnce();
});
