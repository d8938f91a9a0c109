// Starts the built Worker (worker/build) in real workerd through Miniflare, configured from
// worker/wrangler.toml exactly as `wrangler dev` reads it (vars, rate limit, static assets), with
// every outbound request (DNS over HTTPS included) answered by an in-process mock: never the internet.
import { resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

export const root = new URL('../../', import.meta.url).pathname;
export const buildDir = resolve(process.env.WORKER_BUILD_DIR ?? `${root}worker/build`);

/**
 * `web` (a MockWeb) answers the Worker's fetches; `timeoutMs` replaces FETCH_TIMEOUT_MS;
 * `cache: false` turns the Cache API off; `ratelimit` ({limit, period}) replaces the configured limit.
 */
export async function startWorker({ web, timeoutMs, cache = true, ratelimit } = {}) {
  const vars = timeoutMs === undefined ? {} : { FETCH_TIMEOUT_MS: String(timeoutMs) };
  const { workerOptions } = unstable_getMiniflareWorkerOptions(`${root}worker/wrangler.toml`);
  const ratelimits = ratelimit === undefined
    ? workerOptions.ratelimits
    : { FETCH_RATE_LIMIT: { ...workerOptions.ratelimits.FETCH_RATE_LIMIT, simple: ratelimit } };
  const mf = new Miniflare({
    ...workerOptions,
    modulesRoot: buildDir,
    modules: [
      { type: 'ESModule', path: `${buildDir}/index.js` },
      { type: 'CompiledWasm', path: `${buildDir}/index_bg.wasm` },
    ],
    modulesRules: undefined,
    bindings: { ...workerOptions.bindings, ...vars },
    ratelimits,
    cache,
    outboundService: (request) => web.handler(request),
    host: '127.0.0.1',
    port: 0,
    cf: false,
    verbose: false,
  });
  const url = await mf.ready;
  return { mf, base: url.href.replace(/\/$/, '') };
}
