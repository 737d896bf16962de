import Pictify from '@pictify/sdk';

declare const __RENDER_KEY__: string;

export const pictify = new Pictify({ apiKey: __RENDER_KEY__ });

export const previewClient = new Pictify({ apiKey: 'pk_test_I57ylzOVBLgCrxC53PE3kpvE1MwiS9bA' });
