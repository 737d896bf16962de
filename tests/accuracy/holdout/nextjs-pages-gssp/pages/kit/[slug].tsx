import type { GetServerSideProps } from 'next';

type Props = { cover: string; slug: string };

export const getServerSideProps: GetServerSideProps<Props> = async ({ params }) => {
  const slug = String(params?.slug);
  const r = await fetch('https://api.pictify.io/templates/press/render', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: 'Bearer pk_test_RfibiBwpVFcWk39l6yriCmjqxvuztFnf',
    },
    body: JSON.stringify({ variables: { slug } }),
  });
  const { results } = await r.json();
  return { props: { cover: results[0].url, slug } };
};

export default function Kit({ cover }: Props) {
  return <img src={cover} alt="press kit cover" />;
}
