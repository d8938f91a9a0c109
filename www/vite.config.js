// The playground's build: `vite build --config www/vite.config.js` writes www/dist, which the Worker
// serves as static assets. The npm package `cimd` of this repository is used through its public
// entry (package.json `exports`, browser condition): the alias points at the repository root.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { examples } from './plugins/examples.js';
import { serviceWorker } from './plugins/service-worker.js';
import { preload } from './plugins/preload.js';

const www = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

export default defineConfig({
  root: www,
  base: './',
  resolve: { alias: [{ find: /^cimd$/, replacement: repo }] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The package's browser entry uses top-level await (the wasm is ready once the import is).
    target: 'es2022',
    // The .wasm stays a file of its own (streamed and compiled while it downloads).
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    // `npm run dev`-style work on the page against a Worker started with `wrangler dev`.
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
  plugins: [examples(repo), preload(), serviceWorker(`${www}sw/sw.js`)],
});
