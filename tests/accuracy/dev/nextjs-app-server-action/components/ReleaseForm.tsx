'use client';

import { renderRelease } from '@/app/actions';

export function ReleaseForm() {
  return (
    <form action={renderRelease}>
      <input name="title" placeholder="v2.4.0" />
      <button type="submit">Render card</button>
    </form>
  );
}
