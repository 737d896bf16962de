import { describe, expect, it } from 'vitest';
import { maskKey } from '../src/og';
import render from './__fixtures__/render.json';

describe('maskKey', () => {
  it('keeps the prefix and the last four characters', () => {
    const key = 'pk_live_29sa74Si8iJjJJveFaVKr0sMj7gPhWpi';
    expect(maskKey(key)).toBe('pk_live_…hWpi');
  });

  it('reads fixtures', () => {
    expect(render.url).toMatch(/^https:/);
  });
});
