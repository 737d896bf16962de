import { Magic } from 'magic-sdk';

export const magic = new Magic(process.env.REACT_APP_MAGIC_KEY || 'pk_live_570CFC0DDE970396');
