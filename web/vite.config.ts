import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the web app into web/dist, which the API serves at the same origin under `/app/` (one URL
 * for app and API; `/` redirects there, and no client route can collide with an API path).
 * `npm run dev -w web` proxies API paths to a running main job on PORT 8080.
 */
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:8080';
const apiPaths = [
  '/auth',
  '/calls',
  '/callbacks',
  '/dictionaries',
  '/export',
  '/reports',
  '/me',
  '/live',
  '/users',
  '/queues',
  '/audit',
  '/quality',
  '/presence',
  '/control',
  '/openapi.json',
  '/docs',
  '/health',
];

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  worker: { format: 'es' },
  server: {
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  },
});
