// Builds the Svelte renderer into dist/renderer: one entry script and one stylesheet, no inline code, so
// the strict Content-Security-Policy of both hosts (Electron, web mode) holds.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: path.resolve(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script; every browser and Electron we support has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
