import { Magic } from 'magic-sdk';

export const magic = new Magic(import.meta.env.VITE_MAGIC_KEY ?? 'pk_test_A5085BF210DF11DE');
