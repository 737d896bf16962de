import { createClient } from '@liveblocks/client';

export const liveblocks = createClient({ publicApiKey: 'pk_test_e-cdhM2rrnXgrb9AazfhWSKd' });
