import { renderPostcard } from '$lib/server/render';

export const load = async ({ url }) => ({ image: await renderPostcard(url.searchParams.get('place') ?? 'Porto') });
