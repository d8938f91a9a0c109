// The instantiated wasm module, set once by the entry point of the runtime (node.js, browser.js,
// workerd.js) before any function of api.js can be called.
export const wasm = { exports: null, memory: null };
