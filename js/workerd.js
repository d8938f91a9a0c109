// Cloudflare Workers (workerd, wrangler): a `.wasm` import is a compiled WebAssembly.Module there.
import module from '../pkg/web/cimd_bg.wasm';
import * as glue from '../pkg/web/cimd.js';
import { wasm } from './state.js';

const instance = glue.initSync({ module });
wasm.exports = glue;
wasm.memory = instance.memory;

export * from './api.js';
