// Node (>= 18): the speed-optimised build, instantiated synchronously from the file beside it.
import { readFileSync } from 'node:fs';
import * as glue from '../pkg/node/cimd.js';
import { wasm } from './state.js';

const instance = glue.initSync({ module: readFileSync(new URL('../pkg/node/cimd_bg.wasm', import.meta.url)) });
wasm.exports = glue;
wasm.memory = instance.memory;

export * from './api.js';
