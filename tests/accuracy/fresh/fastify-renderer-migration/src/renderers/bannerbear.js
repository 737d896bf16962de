// Legacy renderer, kept until every template is migrated to Pictify.
export async function renderWithBannerbear(template, modifications) {
  const res = await fetch('https://sync.api.bannerbear.com/v2/images', {
    method: 'POST',
    headers: { Authorization: 'Bearer bb_pr_e92d21a157448fe1abbf03993c21d9', 'Content-Type': 'application/json' },
    body: JSON.stringify({ template, modifications }),
  });
  return (await res.json()).image_url;
}
