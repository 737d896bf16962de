export type PublishableKey = `pk_${'live' | 'test'}_${string}`;

export const gateways = {
  omise: 'pkey_test_5jdr1xqnuslwnnk6m30',
  flutterwave: 'FLWPUBK_TEST-8604f618a2ba5c3faa4c09d9d50ba264-X',
  rebilly: 'pk_sandbox_S20PNgeoUwvq3FVrZPzScUQwPHXaX6KapZi9bx',
};
