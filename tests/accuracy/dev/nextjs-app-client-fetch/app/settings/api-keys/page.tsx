'use client';

export default function ApiKeysPage({ keys }: { keys: { id: string; last4: string }[] }) {
  return (
    <ul>
      {keys.map((k) => (
        <li key={k.id}>
          <code>{'pk_live_' + '•'.repeat(24) + k.last4}</code>
        </li>
      ))}
      <li><code>pk_live_XXXXXXXXXXXXXXXXXXXXXXXXh7Qa</code></li>
    </ul>
  );
}
