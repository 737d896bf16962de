export default defineEventHandler(async (event) => {
  const slug = getRouterParam(event, 'slug');
  const { results } = await pictify<{ results: { url: string }[] }>('/templates/journal-og/render', {
    method: 'POST',
    body: { variables: { slug } },
  });
  return sendRedirect(event, results[0].url);
});
