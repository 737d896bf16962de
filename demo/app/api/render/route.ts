import { Pictify } from '@pictify/sdk';

// Good: the key stays on the server and comes from the environment.
const pictify = new Pictify({ apiKey: process.env.PICTIFY_API_KEY! });

export async function POST(req: Request) {
  const { title } = await req.json();
  return Response.json(await pictify.render({ title }));
}
