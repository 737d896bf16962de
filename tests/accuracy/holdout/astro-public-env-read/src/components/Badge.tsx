export function Badge({ name }: { name: string }) {
  const key = import.meta.env.PUBLIC_PICTIFY_API_KEY;
  return <img alt={name} data-k={key ? 'set' : 'unset'} />;
}
