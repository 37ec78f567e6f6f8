/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri loads the built files from ui/dist (tauri.conf.json `frontendDist`) and, in `tauri dev`,
// this dev server on a fixed port (`devUrl`).
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    // WebKitGTK 2.4x, WebView2 and WKWebView all run ES2022.
    target: 'es2022',
    // No inline data: URLs, so the strict CSP (img-src/font-src 'self') holds.
    assetsInlineLimit: 0,
  },
  // Svelte 5 must resolve its browser build under vitest, or `mount` is unavailable.
  resolve: mode === 'test' ? { conditions: ['browser'] } : {},
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
}));
