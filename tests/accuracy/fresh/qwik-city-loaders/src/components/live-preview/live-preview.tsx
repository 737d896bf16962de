import { component$, useSignal, useVisibleTask$ } from '@builder.io/qwik';

export const LivePreview = component$((props: { html: string; apiKey: string }) => {
  const src = useSignal('');
  // eslint-disable-next-line qwik/no-use-visible-task
  useVisibleTask$(async ({ track }) => {
    track(() => props.html);
    const res = await fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: { Authorization: `Bearer ${props.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ html: props.html }),
    });
    src.value = (await res.json()).url;
  });
  return <img src={src.value} alt="preview" />;
});
