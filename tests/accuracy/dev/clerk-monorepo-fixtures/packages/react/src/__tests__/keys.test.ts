import { describe, expect, it } from 'vitest';
import { parsePublishableKey } from '../keys';

describe('parsePublishableKey', () => {
  it('decodes a live key', () => {
    const key = 'pk_live_Y2xlcmsucGF3b3dyeS5jb20k';
    expect(parsePublishableKey(key)?.instanceType).toBe('production');
  });
  it('decodes a dev key', () => {
    expect(parsePublishableKey('pk_test_bm9ibGUtbHlueC0zNC5jbGVyay5hY2NvdW50cy5kZXYk')?.instanceType).toBe('development');
  });
  it('builds a key from a host', () => {
    expect('pk_live_' + btoa('clerk.shop-example.com$')).toMatch(/^pk_live_/);
  });
});
