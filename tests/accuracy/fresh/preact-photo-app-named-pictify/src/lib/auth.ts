import { Magic } from 'magic-sdk';

// Pictify signs users in with email magic links.
export const magic = new Magic('pk_live_41BA93DDCB56E8F7');
