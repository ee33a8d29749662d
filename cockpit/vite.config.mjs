// The cockpit's build: `npm run build:cockpit` → cockpit/dist, which the monitor serves at /.
// Relative asset paths (base './') so the page works under any prefix; no source maps in the build to keep it small.
// The playground's Web Workers are ES modules (they import the shared host code; an iife worker cannot split).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  logLevel: 'warn',
  clearScreen: false,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
});
