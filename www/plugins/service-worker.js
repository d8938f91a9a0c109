// Emits dist/sw.js: the service worker of www/sw/sw.js with the list of files the build wrote and a
// version that changes with them, so the page, its script, styles and the wasm are cached on the
// first visit and the playground works offline afterwards.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function serviceWorker(source) {
  return {
    name: 'cimd-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const names = Object.keys(bundle).filter((name) => !name.endsWith('.map')).sort();
      const hash = createHash('sha256');
      for (const name of names) {
        const item = bundle[name];
        hash.update(name).update(item.type === 'chunk' ? item.code : item.source);
      }
      const files = ['./', ...names.filter((n) => n !== 'index.html').map((n) => `./${n}`)];
      const code = readFileSync(source, 'utf8')
        .replace("'__VERSION__'", JSON.stringify(hash.digest('hex').slice(0, 16)))
        .replace('[/* __FILES__ */]', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: code });
    },
  };
}
