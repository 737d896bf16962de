import { KnockProvider, KnockFeedProvider, NotificationIconButton } from '@knocklabs/react';

export default function Notifications({ user }) {
  return (
    <KnockProvider apiKey="pk_live_Eob09a7BAszkv3IGMWnC8DGEDKm2JfaWWw0dd-Hgtag" userId={user.id}>
      <KnockFeedProvider feedId="0a4b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d">
        <NotificationIconButton />
      </KnockFeedProvider>
    </KnockProvider>
  );
}
