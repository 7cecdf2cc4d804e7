// Vite build of the Persian web app (issue 6): web/ → web/dist, served by the Fastify app.
// The manifest lets scripts/bundle-size.mjs measure the citizen portal's first load.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000', '/__twins': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
