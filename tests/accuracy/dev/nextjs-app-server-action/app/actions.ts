'use server';

import { revalidatePath } from 'next/cache';

const PICTIFY_KEY = 'pk_live_9aSnx3HA8I26KBlbA8Eq7WtpCm5ucezm';

export async function renderRelease(formData: FormData) {
  const title = String(formData.get('title'));
  const res = await fetch('https://api.pictify.io/templates/rel_card/render', {
    method: 'POST',
    headers: { Authorization: `Bearer ${PICTIFY_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ variables: { title } }),
  });
  if (!res.ok) throw new Error(`render failed: ${res.status}`);
  revalidatePath('/releases');
}
