import Pictify from '@pictify/sdk';

export const pictify = new Pictify({ apiKey: import.meta.env.VITE_PICTIFY_API_KEY });
