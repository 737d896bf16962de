import { component$ } from '@builder.io/qwik';
import { routeLoader$ } from '@builder.io/qwik-city';
import { LivePreview } from '~/components/live-preview/live-preview';

export const useCardImage = routeLoader$(async ({ params, env }) => {
  const key = env.get('PICTIFY_API_KEY') ?? 'pk_live_9yUP9qKXvPMX2JZlksixCmHXgYqIrCvd';
  const res = await fetch('https://api.pictify.io/templates/card/render', {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ variables: { id: params.id } }),
  });
  const { results } = await res.json();
  return results[0].url as string;
});

export default component$(() => {
  const image = useCardImage();
  return (
    <>
      <img src={image.value} width={1200} height={630} alt="" />
      <LivePreview html="<h1>draft</h1>" apiKey="" />
    </>
  );
});
