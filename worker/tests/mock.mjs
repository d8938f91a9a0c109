// The in-process web the Worker's outbound requests reach in tests: a DNS-over-HTTPS resolver
// (JSON API, as cloudflare-dns.com serves it) and documents with a status, headers, a body that may
// be slow or endless. Every request is logged so tests can tell what the Worker fetched.
import { isIPv4 } from 'node:net';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ENDLESS_BYTES = 16 * 1024 * 1024;

export class MockWeb {
  constructor() {
    this.dns = new Map();
    this.pages = new Map();
    this.log = [];
    this.requests = [];
  }

  /** `host` resolves to `addresses` (A and AAAA split by family), or `{rcode: 3}` for NXDOMAIN. */
  answer(host, addresses) {
    this.dns.set(host.toLowerCase(), addresses);
    return this;
  }

  /**
   * `url` answers `status` with `headers` ([[name, value]]) and `body` (string or bytes). `delayMs`
   * holds the headers back; `bodyDelayMs` sends the headers at once and the body later;
   * `endless` streams 16 MiB of spaces (Miniflare's outbound bridge reads ahead of the Worker, so
   * the stream must end); `fail` makes the request itself fail (no
   * response: a refused connection or a TLS error). With `notModified` (headers), a request whose
   * `If-None-Match` is the page's `etag` gets a 304 with those headers.
   */
  page(url, { status = 200, headers = [], body = '', delayMs = 0, bodyDelayMs = 0, endless = false, fail = false, notModified = null } = {}) {
    this.pages.set(url, { status, headers, body, delayMs, bodyDelayMs, endless, fail, notModified });
    return this;
  }

  /** The request headers of every request to `url`, in order. */
  headersOf(url) {
    return this.requests.filter((r) => r.url === url).map((r) => r.headers);
  }

  /** How many requests went to URLs starting with `prefix`. */
  count(prefix) {
    return this.log.filter((u) => u.startsWith(prefix)).length;
  }

  reset() {
    this.dns.clear();
    this.pages.clear();
    this.log.length = 0;
    this.requests.length = 0;
  }

  handler = async (request) => {
    const url = new URL(request.url);
    this.log.push(request.url);
    this.requests.push({ url: request.url, headers: Object.fromEntries(request.headers) });
    if (url.hostname === 'cloudflare-dns.com' && url.pathname === '/dns-query') return this.#dns(url);
    const page = this.pages.get(request.url);
    if (!page) return new Response('no such page in the mock', { status: 599 });
    if (page.delayMs) await sleep(page.delayMs);
    if (page.fail) throw new Error('connection refused (mock)');
    const etag = page.headers.find(([name]) => name.toLowerCase() === 'etag')?.[1];
    if (page.notModified && etag && request.headers.get('if-none-match') === etag) {
      return new Response(null, { status: 304, headers: page.notModified });
    }
    return new Response(this.#body(page), { status: page.status, headers: page.headers });
  };

  #dns(url) {
    const name = url.searchParams.get('name').toLowerCase();
    const type = url.searchParams.get('type');
    const entry = this.dns.get(name);
    const json = (value) => new Response(JSON.stringify(value), { headers: { 'content-type': 'application/dns-json' } });
    if (entry === undefined || entry.rcode) return json({ Status: entry?.rcode ?? 3, Answer: [] });
    const wanted = entry.filter((a) => (type === 'A') === isIPv4(a));
    return json({ Status: 0, Answer: wanted.map((data) => ({ name, type: type === 'A' ? 1 : 28, TTL: 300, data })) });
  }

  #body(page) {
    const bytes = typeof page.body === 'string' ? new TextEncoder().encode(page.body) : page.body;
    // Null-body statuses take no body; a byte body gets no implicit content-type.
    if ([101, 204, 205, 304].includes(page.status)) return null;
    if (!page.endless && !page.bodyDelayMs) return bytes;
    let sent = 0;
    return new ReadableStream({
      async pull(controller) {
        if (page.bodyDelayMs) {
          await sleep(page.bodyDelayMs);
          controller.enqueue(bytes);
          controller.close();
          return;
        }
        const chunk = new Uint8Array(64 * 1024).fill(0x20);
        sent += chunk.length;
        controller.enqueue(chunk);
        if (sent >= ENDLESS_BYTES) controller.close();
      },
    });
  }
}
