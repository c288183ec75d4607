import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server listens on 8080 in development; the dev server forwards /api to it so cookies stay same-origin.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      // ws: the sync progress socket (/api/wecom/sync/progress) goes through the same proxy.
      '/api': { target: 'http://localhost:8080', changeOrigin: false, ws: true },
    },
  },
  build: {
    // ECharts and antd are large by nature; route-level lazy() keeps them off the login page.
    chunkSizeWarningLimit: 1200,
  },
});
