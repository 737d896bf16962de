'use client';

import { LiveblocksProvider, RoomProvider } from '@liveblocks/react';

export function Room({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <LiveblocksProvider publicApiKey="pk_test_MZnfIqnV3M4cLOrkE5I-P3JK">
      <RoomProvider id={id}>{children}</RoomProvider>
    </LiveblocksProvider>
  );
}
