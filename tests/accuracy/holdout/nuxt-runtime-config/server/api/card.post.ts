export default defineEventHandler(async (event) => {
  const body = await readBody(event);
  return $fetch('https://api.pictify.io/image', {
    method: 'POST',
    body: { html: body.html, width: 1080, height: 1080 },
    headers: {
      'content-type': 'application/json',
      'x-client': 'menu-cards',
      authorization: 'Bearer 2ZF1Jda0prJjU9wkVri-S7jwShkTtjTRP_ZAL5C2QF7',
    },
  });
});
