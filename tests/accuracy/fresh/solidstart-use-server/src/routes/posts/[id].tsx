import { createAsync, query, useParams } from "@solidjs/router";
import { renderShareCard } from "~/lib/og";
import { getPost } from "~/lib/posts";

const shareImage = query(async (id: string) => {
  const post = await getPost(id);
  return renderShareCard(post.title, post.author);
}, "share-image");

export default function Post() {
  const params = useParams();
  const image = createAsync(() => shareImage(params.id));
  return <img src={image()} alt="" width={600} height={315} />;
}
