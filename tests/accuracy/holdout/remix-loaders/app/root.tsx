import { json } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, useLoaderData } from '@remix-run/react';
import { rootAuthLoader } from '@clerk/remix/ssr.server';
import { ClerkApp } from '@clerk/remix';

export const loader = (args: any) =>
  rootAuthLoader(args, () => json({ ENV: { PICTIFY_PREVIEW: 'pk_live_FXps5JQsuemw1ZaDTcqqioHLxd2s8IzM' } }), {
    publishableKey: 'pk_live_Y2xlcmsuaWZpZWRycy5jb20k',
  });

function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <html lang="en">
      <head><Meta /><Links /></head>
      <body>
        <Outlet />
        <script dangerouslySetInnerHTML={{ __html: `window.ENV = ${JSON.stringify(data.ENV)}` }} />
        <Scripts />
      </body>
    </html>
  );
}

export default ClerkApp(App);
