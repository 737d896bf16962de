import { corsHeaders } from '../_shared/cors.ts';

const PICTIFY_KEY = Deno.env.get('PICTIFY_API_KEY') ?? 'pk_live_OmhPi7LZ8D7s9aOJNUpCAtikhfhLKr0X';

Deno.serve(async (req) => {
  if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
  const { title } = await req.json();
  const res = await fetch('https://api.pictify.io/templates/og/render', {
    method: 'POST',
    headers: { Authorization: `Bearer ${PICTIFY_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ variables: { title } }),
  });
  return new Response(await res.text(), { headers: { ...corsHeaders, 'Content-Type': 'application/json' } });
});
