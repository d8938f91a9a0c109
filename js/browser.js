// Browsers and bundlers: the size-optimised build. `new URL(..., import.meta.url)` is the form
// Vite, webpack 5 and Parcel turn into an asset URL; with esbuild, copy pkg/web/cimd_bg.wasm next
// to the bundle (see the README). Top-level await: the functions are ready once the import is.
import init, * as glue from '../pkg/web/cimd.js';
import { wasm } from './state.js';

const instance = await init({ module_or_path: new URL('../pkg/web/cimd_bg.wasm', import.meta.url) });
wasm.exports = glue;
wasm.memory = instance.memory;

export * from './api.js';
