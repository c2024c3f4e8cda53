import { defineConfig } from 'vite';

// The page is static files. Locally the API is on the same origin under /api (the local server);
// on AWS the build gets VITE_API_URL (and the Cognito settings) from sst.config.ts.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/api': process.env.THREADLINE_API_PROXY ?? 'http://127.0.0.1:3000' } },
});
