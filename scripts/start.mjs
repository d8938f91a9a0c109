// `npm start`: builds everything (the CLI, the Worker with its hosted documents and static assets)
// and runs the Worker in workerd with `wrangler dev --local` on 127.0.0.1:8787 (or $PORT), no
// Cloudflare account needed. Prints the URLs of the playground, the API and a hosted document;
// Ctrl-C stops every process it started (wrangler, workerd, esbuild: one process group).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { run, root } from './lib.mjs';
import { buildWorker, hostedPaths } from './build-worker.mjs';

run('cargo', ['build', '--release', '-p', 'cimd-cli', '--locked']);
await buildWorker();

const port = process.env.PORT ?? '8787';
const origin = `http://127.0.0.1:${port}`;
// detached: wrangler leads a process group of its own, so one signal reaches workerd and esbuild too.
const wrangler = spawn(`${root}node_modules/.bin/wrangler`,
  ['dev', '--local', '--ip', '127.0.0.1', '--port', port, '--config', 'worker/wrangler.toml', '--show-interactive-dev-session=false'],
  {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });

let stopping = false;
function stop(code = 0) {
  if (!stopping) {
    stopping = true;
    try { process.kill(-wrangler.pid, 'SIGTERM'); } catch { /* already gone */ }
    setTimeout(() => { try { process.kill(-wrangler.pid, 'SIGKILL'); } catch { /* gone */ } process.exit(code); }, 3000).unref();
  }
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('exit', () => { try { process.kill(-wrangler.pid, 'SIGKILL'); } catch { /* gone */ } });
wrangler.on('exit', (code) => { if (!stopping) { console.error(`wrangler exited (${code})`); process.exit(code ?? 1); } else process.exit(0); });

// Wait until the Worker answers, then say where everything is.
for (let i = 0; i < 240 && !stopping; i++) {
  try {
    if ((await fetch(`${origin}/api/health`)).ok) break;
  } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 500));
}
const [sample] = hostedPaths();
const publicOrigin = readFileSync(`${root}worker/wrangler.toml`, 'utf8').match(/^PUBLIC_ORIGIN = "(.*)"$/m)?.[1];
console.log(`
cimd is running in workerd at ${origin}
  playground        ${origin}/
  API               POST ${origin}/api/validate   GET ${origin}/api/validate?url=https://...
                    POST ${origin}/api/match      GET ${origin}/api/codes
  hosted document   ${origin}${sample}   (its client_id: ${publicOrigin}${sample})
  try               curl -s -X POST -H 'content-type: application/json' --data '{"document":"{}"}' '${origin}/api/validate?format=text'
Ctrl-C stops it.
`);
