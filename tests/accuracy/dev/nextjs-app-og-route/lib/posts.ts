export async function getPost(slug: string) {
  const res = await fetch(`https://cms.example.org/posts/${slug}`, { next: { revalidate: 60 } });
  return res.json() as Promise<{ title: string; author: string }>;
}
