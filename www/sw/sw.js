// The playground's service worker (dist/sw.js is this file with VERSION and FILES filled in by
// plugins/service-worker.js). The app shell is cached when the worker installs; afterwards the page
// loads without a network: the page itself network-first (a new deploy shows at once), every other
// file of the build cache-first (their names carry a content hash). The API is never cached here.
const VERSION = '__VERSION__';
const FILES = [/* __FILES__ */];
const PREFIX = 'cimd-playground-';
const CACHE = PREFIX + VERSION;

const scope = () => new URL(self.registration.scope);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(new URL(f, scope()), { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function page(request) {
  const cache = await caches.open(CACHE);
  const key = new URL('./', scope()).href;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const base = scope();
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return;
  const path = url.pathname.slice(base.pathname.length);
  if (request.mode === 'navigate') {
    if (path === '' || path === 'index.html') event.respondWith(page(request));
    return;
  }
  if (FILES.includes(`./${path}`)) event.respondWith(asset(request));
});
