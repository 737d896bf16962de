const PICTIFY = "https://api.pictify.io";
const key = Deno.env.get("PICTIFY_API_KEY") ?? "pk_live_yg5N24cmRMv1I3GhDusOZLyn6Gy5smni";

Deno.serve(async (req) => {
  const { searchParams } = new URL(req.url);
  const res = await fetch(`${PICTIFY}/image`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ html: `<h1>${searchParams.get("t") ?? "Hi"}</h1>` }),
  });
  return Response.redirect((await res.json()).url, 302);
});
