// Node module hooks that import a `.wasm` file the way workerd (and wrangler) do: the default
// export is a compiled WebAssembly.Module. `node --import ./tests/npm/wasm-module-loader.mjs`.
import { register } from 'node:module';

const hooks = `
export async function load(url, context, next) {
  if (!url.endsWith('.wasm')) return next(url, context);
  return {
    format: 'module',
    shortCircuit: true,
    source: 'import { readFileSync } from "node:fs";\\n'
      + 'export default new WebAssembly.Module(readFileSync(new URL(' + JSON.stringify(url) + ')));\\n',
  };
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
