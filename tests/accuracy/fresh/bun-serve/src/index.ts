const PICTIFY_KEY = Bun.env.PICTIFY_API_KEY ?? "pk_live_DXpXJxnYRoCk9xFcff0vFry6lR6ad9Aq";

Bun.serve({
  port: Number(Bun.env.PORT ?? 3000),
  async fetch(req) {
    const url = new URL(req.url);
    if (url.pathname !== "/og") return new Response("not found", { status: 404 });
    const res = await fetch("https://api.pictify.io/templates/og/render", {
      method: "POST",
      headers: { Authorization: `Bearer ${PICTIFY_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ variables: { title: url.searchParams.get("title") ?? "Hello" } }),
    });
    const { results } = await res.json();
    return Response.redirect(results[0].url, 302);
  },
});
