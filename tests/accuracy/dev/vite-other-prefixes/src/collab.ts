import { createClient } from '@liveblocks/client';

export const client = createClient({
  publicApiKey: 'pk_dev_sqzQgg-7cQ3V6qKYke31hW9onpmJ_PBP_z28Tt-fW-lwe3CpbDZa0sojc_RojrJS',
});
