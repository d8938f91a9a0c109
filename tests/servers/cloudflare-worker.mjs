// Runs inside workerd (tests/servers/cloudflare.mjs starts it): @cloudflare/workers-oauth-provider's
// own client lookup for a CIMD client_id, which fetches the document (from the test's outbound mock),
// validates it and negotiates the client, exactly as its /authorize and /token handlers do.
import { getOAuthApi } from './oauth-provider.js';

const OPTIONS = {
  apiRoute: '/mcp',
  apiHandler: { fetch: () => new Response('api') },
  defaultHandler: { fetch: () => new Response('default') },
  authorizeEndpoint: '/authorize',
  tokenEndpoint: '/token',
  resourceMetadata: { resource: 'https://as.example.com/mcp', authorization_servers: ['https://as.example.com'] },
  clientIdMetadataDocumentEnabled: true,
};

// The provider logs each refused document with console.warn: lines for an operator, not verdicts,
// and hundreds of them on the corpus.
console.warn = () => {};

const message = (e) => String(e?.cause?.message ?? e?.description ?? e?.message ?? e).slice(0, 200);

export default {
  async fetch(request, env) {
    const ask = await request.json();
    let api;
    try {
      api = getOAuthApi(OPTIONS, env);
    } catch (e) {
      return new Response(`the provider's options: ${message(e)}`, { status: 500 });
    }
    if (ask.redirect) {
      // The authorization request's own check: parseAuthRequest refuses a redirect_uri the client
      // did not register ("Invalid redirect URI"); any other outcome means it matched.
      const { url, uri } = ask.redirect;
      const authorize = new URL('https://as.example.com/authorize');
      for (const [k, v] of Object.entries({
        response_type: 'code', client_id: url, redirect_uri: uri, state: 's',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
      })) authorize.searchParams.set(k, v);
      try {
        await api.parseAuthRequest(new Request(authorize));
        return Response.json({ matched: true, reason: '' });
      } catch (e) {
        // Only the redirect check's own refusal means "no match"; a refused document is reported.
        const reason = message(e);
        return Response.json({ matched: e?.description !== undefined && !/redirect/i.test(e.description), reason });
      }
    }
    try {
      const client = await api.lookupClient(ask.url);
      return Response.json({ accepted: client != null, reason: client ? '' : 'no client' });
    } catch (e) {
      return Response.json({ accepted: false, reason: message(e) });
    }
  },
};
