import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

// `npm run dev` serves the client with hot reload on http://127.0.0.1:5173 and forwards the API to the
// server started with `cargo run -p api` (override with CHORUS_API=http://host:port).
const api = process.env.CHORUS_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    react(),
    // A Brotli and a gzip copy beside each text file of the build: the server sends the one the browser
    // accepts as it is (api/src/routes/spa.rs), so nothing is compressed per request. Files too small to
    // gain, or that would not shrink, get none.
    compression({
      include: /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/,
      threshold: 1024,
      algorithms: ['brotliCompress', 'gzip'],
      skipIfLargerOrEqual: true,
    }),
  ],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/graphql/ws': { target: api, ws: true, changeOrigin: true },
      '/graphql': { target: api, changeOrigin: true },
      '/api': { target: api, changeOrigin: true },
      '/files': { target: api, changeOrigin: true },
      '/healthz': { target: api },
      '/readyz': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
