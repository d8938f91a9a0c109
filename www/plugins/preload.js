// Starts the downloads the page waits for as soon as the HTML is read: the package's chunk and its
// .wasm would otherwise be fetched only once the main script has run (`await import('cimd')`).
// The wasm preload is `as="fetch"` with `crossorigin`, the request wasm-bindgen's `init` makes, so
// the browser reuses the response for WebAssembly.instantiateStreaming.
export function preload() {
  return {
    name: 'cimd-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const names = Object.keys(bundle ?? {});
        const wasm = names.filter((n) => n.endsWith('.wasm'));
        const chunks = names.filter((n) => bundle[n].type === 'chunk' && !bundle[n].isEntry && bundle[n].isDynamicEntry);
        if (!wasm.length) throw new Error('cimd-preload: no .wasm in the bundle');
        return [
          ...chunks.map((n) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${n}` }, injectTo: 'head' })),
          ...wasm.map((n) => ({ tag: 'link', attrs: { rel: 'preload', as: 'fetch', type: 'application/wasm', crossorigin: true, href: `./${n}` }, injectTo: 'head' })),
        ];
      },
    },
  };
}
