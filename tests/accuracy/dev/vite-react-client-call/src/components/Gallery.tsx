export function Gallery({ ids }: { ids: string[] }) {
  return (
    <div>
      {ids.map((id) => (
        <img key={id} src={`https://cdn.pictify.io/renders/${id}.png`} alt="" />
      ))}
    </div>
  );
}
