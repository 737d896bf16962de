import Pictify from '@pictify/sdk';

const KEY_SHAPE = /^pk_(live|test)_[A-Za-z0-9]{32}$/;

export function maskKey(key: string): string {
  if (!KEY_SHAPE.test(key)) throw new Error('not a Pictify key');
  return `${key.slice(0, 8)}…${key.slice(-4)}`;
}

export const client = () => new Pictify(process.env.PICTIFY_API_KEY!, { baseUrl: process.env.PICTIFY_BASE_URL });
