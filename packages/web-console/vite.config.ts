import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Static files only: the controller serves dist/ at / (with the CSP in console-static.ts).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Nothing inline: the CSP allows scripts and styles from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    // `npm run dev -w @netpilot/web-console` against a controller on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
