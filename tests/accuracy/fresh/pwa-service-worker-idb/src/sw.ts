/// <reference lib="webworker" />
import { precacheAndRoute } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope;
precacheAndRoute(self.__WB_MANIFEST);

const PICTIFY_KEY = 'pk_live_VfgnDmslAwkWCToGkjnqXXRJakvIj93p';

self.addEventListener('sync', (event: any) => {
  if (event.tag !== 'render-queue') return;
  event.waitUntil(
    fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: { Authorization: `Bearer ${PICTIFY_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ html: '<h1>queued</h1>' }),
    }),
  );
});
