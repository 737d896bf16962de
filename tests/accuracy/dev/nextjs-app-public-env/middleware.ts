import { clerkMiddleware } from '@clerk/nextjs/server';

export default clerkMiddleware({
  publishableKey: 'pk_live_Y2xlcmsuZHllbHBuZC5jb20k',
});

export const config = { matcher: ['/((?!_next|.*\\..*).*)'] };
