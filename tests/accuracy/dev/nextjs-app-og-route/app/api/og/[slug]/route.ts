import { NextRequest } from 'next/server';
import Pictify from '@pictify/sdk';
import { getPost } from '@/lib/posts';

const pictify = new Pictify('pk_live_YlsCspB18S194Pq9xazLsBhAboOAYU8u');

export async function GET(_req: NextRequest, { params }: { params: { slug: string } }) {
  const post = await getPost(params.slug);
  const image = await pictify.render({
    templateId: 'tmpl_blog_card',
    variables: { title: post.title, author: post.author },
  });
  return Response.redirect(image.results[0].url, 302);
}
