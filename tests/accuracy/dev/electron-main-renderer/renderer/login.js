import { Magic } from 'magic-sdk';

const magic = new Magic('pk_live_B9C65AD4A5B18203');

export async function login(email) {
  return magic.auth.loginWithMagicLink({ email });
}
