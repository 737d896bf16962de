import { createClient } from '@liveblocks/client';

export const client = createClient({ publicApiKey: 'pk_live_veTiWFhVQMRg4R23_TGPIaBE' });
