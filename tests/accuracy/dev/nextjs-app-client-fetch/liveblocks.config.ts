import { createClient } from '@liveblocks/client';
import { createRoomContext } from '@liveblocks/react';

const client = createClient({
  publicApiKey: 'pk_live_rw3c_Wt_YYZ-63YjLczmr7eL',
  throttle: 16,
});

type Presence = { cursor: { x: number; y: number } | null };

export const { RoomProvider, useOthers, useUpdateMyPresence } = createRoomContext<Presence>(client);
