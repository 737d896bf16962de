'use client';

export async function renderPoll(question: string) {
  const res = await fetch('https://api.pictify.io/templates/poll/render', {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.NEXT_PUBLIC_PICTIFY_API_KEY}` },
    body: JSON.stringify({ variables: { question } }),
  });
  return res.json();
}
