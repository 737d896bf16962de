import { z } from 'zod';

export const settingsSchema = z.object({
  pictifyKey: z.string().regex(/^pk_(live|test)_[A-Za-z0-9]{32}$/, 'expected a key like pk_live_…'),
  template: z.string().min(1),
});
