import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  define: {
    __RENDER_KEY__: JSON.stringify('pk_live_3RTnyQAb7PE8Z43DX5FQDn5NXOOLl46K'),
    __APP_VERSION__: JSON.stringify('1.4.2'),
  },
  server: { port: 5173 },
});
