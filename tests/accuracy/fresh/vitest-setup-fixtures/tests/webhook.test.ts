import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '@pictify/sdk';

const payload = JSON.stringify({ event: 'render.completed', data: { id: 'img_8Yq2Lm4Np6' } });

describe('webhook', () => {
  it('rejects a forged signature', () => {
    const headers = { 'x-pictify-signature': 'sha256=1f1705d22c14e51f8bfb80803d9019ea66f2c7b1528fcf4a8316c39883a31127' };
    expect(verifyWebhookSignature(payload, headers['x-pictify-signature'], 'whsec_test')).toBe(false);
  });
});
