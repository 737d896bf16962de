import type { LoaderFunctionArgs } from '@remix-run/node';
import { PICTIFY, pictifyHeaders } from '~/utils/pictify.server';

export async function loader({ params }: LoaderFunctionArgs) {
  const r = await fetch(`${PICTIFY}/templates/recipe/render`, {
    method: 'POST',
    headers: pictifyHeaders,
    body: JSON.stringify({ variables: { id: params.id } }),
  });
  return Response.redirect((await r.json()).results[0].url);
}
