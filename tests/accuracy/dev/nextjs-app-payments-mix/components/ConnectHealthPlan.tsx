'use client';

import FlexpaLink from '@flexpa/link';

export function ConnectHealthPlan({ onToken }: { onToken: (t: string) => void }) {
  function open() {
    FlexpaLink.create({
      publishableKey: 'pk_test_YUbu7hnb5wJNbtq3Q9C1GEsIfZ1qXTjJ',
      user: { externalId: crypto.randomUUID() },
      onSuccess: onToken,
    });
    FlexpaLink.open();
  }
  return <button onClick={open}>Connect your health plan</button>;
}
