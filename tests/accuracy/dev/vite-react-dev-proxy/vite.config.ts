import { defineConfig } from 'vite';

export default defineConfig({
  server: {
    proxy: {
      '/api/render': {
        target: 'https://api.pictify.io',
        changeOrigin: true,
        rewrite: (p) => p.replace(/^\/api\/render/, '/image'),
        headers: { Authorization: 'Bearer pk_live_U1qE3QHxzoPtuCQguR8jKSrOY8u6MF4X' },
      },
    },
  },
});
