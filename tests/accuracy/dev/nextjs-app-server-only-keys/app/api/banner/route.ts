import Pictify from '@pictify/sdk';
import { IMAGE_KEY } from '@/lib/server/keys';

const pictify = new Pictify(IMAGE_KEY);

export async function POST(req: Request) {
  const { html } = await req.json();
  return Response.json(await pictify.images.create({ html, width: 1500, height: 500 }));
}
