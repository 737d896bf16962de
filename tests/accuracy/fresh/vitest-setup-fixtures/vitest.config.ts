import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['tests/setup.ts'],
    env: { PICTIFY_BASE_URL: 'http://127.0.0.1:4010' },
  },
});
