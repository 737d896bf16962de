// Share buttons render a card through our own endpoint (/api/card), never Pictify directly.
async function share(productId) {
  const res = await fetch(`/api/card/${productId}`);
  return (await res.json()).url;
}
