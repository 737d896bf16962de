export default defineEventHandler(async (event) => {
  const slug = getRouterParam(event, 'slug');
  const { contentfulSpace } = useRuntimeConfig(event);
  const entries = await $fetch<any>(`https://cdn.contentful.com/spaces/${contentfulSpace}/entries`, {
    query: { content_type: 'post', 'fields.slug': slug },
    headers: { Authorization: 'Bearer XzQtALCvxhSOb7cK_02GwwYhZew6eCe2qHUTPPMM3nh' },
  });
  const post = entries.items[0].fields;
  const { results } = await pictify<any>('/templates/journal-og/render', { method: 'POST', body: { variables: { title: post.title } } });
  return { ...post, ogImage: results[0].url };
});
