// Share links: the document and its options in the URL fragment (never sent to a server):
// `#doc=<base64url of the deflate-raw compressed text>&url=...&profile=ietf&strict=1`.

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The fragment (without `#`) that carries `text` and the options. */
export async function encodeShare({ text, url, profile, strict }) {
  const params = new URLSearchParams();
  params.set('doc', toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'))));
  if (url) params.set('url', url);
  if (profile && profile !== 'mcp') params.set('profile', profile);
  if (strict) params.set('strict', '1');
  return params.toString();
}

/**
 * The state in a fragment (with or without `#`): `{text, url, profile, strict}`, null when the
 * fragment carries no document. Throws when it does but cannot be read.
 */
export async function decodeShare(fragment) {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const doc = params.get('doc');
  if (doc === null) return null;
  const bytes = await pipe(fromBase64Url(doc), new DecompressionStream('deflate-raw'));
  return {
    text: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
    url: params.get('url') || null,
    profile: params.get('profile') === 'ietf' ? 'ietf' : 'mcp',
    strict: params.get('strict') === '1',
  };
}
