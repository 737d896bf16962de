export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const title = url.searchParams.get('title') ?? 'Field Notes';
    const res = await fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Authorization': 'Bearer 376593804712f8343005b270f56b2b51771397616360c0b192044dd941dd681a',
      },
      body: JSON.stringify({
        html: `<div style="font:64px serif;padding:80px">${title}</div>`,
        width: 1200,
        height: 630,
      }),
    });
    const { url: imageUrl } = await res.json();
    return Response.redirect(imageUrl, 302);
  },
};
