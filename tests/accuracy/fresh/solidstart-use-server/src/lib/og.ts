"use server";

const PICTIFY_URL = "https://api.pictify.io/image";
const TOKEN = "0e019422a8a6edcc94aa73f8e286ca5213857a908334645535d11f0392d56947";

export async function renderShareCard(title: string, author: string) {
  const res = await fetch(PICTIFY_URL, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${TOKEN}`,
    },
    body: JSON.stringify({ html: `<h1>${title}</h1><p>${author}</p>`, width: 1200, height: 630 }),
  });
  if (!res.ok) throw new Error(`render failed: ${res.status}`);
  return (await res.json()).url as string;
}
