"""FastMCP's own CIMD code on the documents of tests/servers/servers.test.mjs, in process.

Run with the virtualenv of scripts/peers/setup.mjs. Reads JSON lines on stdin, writes one JSON line
per request on stdout:

  {"url", "status", "headers": [[name, value]], "body_b64", "address"}
      -> {"accepted": bool, "reason": str}
     The path FastMCP's server takes for a URL client_id: CIMDFetcher.is_cimd_client_id(url), then
     CIMDFetcher.fetch(url). Everything of FastMCP runs (URL and SSRF checks, status and size limits,
     JSON, the pydantic model, the client_id comparison, the jwks_uri check); only the network is
     replaced: names resolve to `address` (IP literals and localhost as the system resolves them),
     and httpx answers from memory with the case's status, headers and body.
  {"redirect": {"document", "url", "uri"}}
      -> {"matched": bool, "reason": str}
     CIMDFetcher.validate_redirect_uri on the document as fetch() returns it.
"""

import asyncio
import base64
import ipaddress
import json
import logging
import sys
import types

import httpx2

import fastmcp.server.auth.cimd as cimd
import fastmcp.server.auth.ssrf as ssrf

logging.getLogger("fastmcp").setLevel(logging.CRITICAL)
logging.getLogger("mcp").setLevel(logging.CRITICAL)

DEFAULT_ADDRESS = "93.184.216.34"


class Answer:
    """The response the fake network gives, and the address names resolve to."""

    status = 200
    headers = [["content-type", "application/json"]]
    body = b""
    address = DEFAULT_ADDRESS


ANSWER = Answer()
REAL_RESOLVE = ssrf.resolve_hostname


async def resolve(hostname, port=443):
    try:
        ipaddress.ip_address(hostname.strip("[]"))
        literal = True
    except ValueError:
        literal = hostname.lower() == "localhost" or hostname.lower().endswith(".localhost")
    if literal:
        # No network: the system resolver answers these itself.
        return await REAL_RESOLVE(hostname, port)
    if ANSWER.address is None:
        raise ssrf.SSRFError(f"DNS resolution failed for {hostname}")
    return [ANSWER.address]


def handler(request):
    return httpx2.Response(ANSWER.status, headers=ANSWER.headers, content=ANSWER.body)


def client(*args, **kwargs):
    kwargs["transport"] = httpx2.MockTransport(handler)
    kwargs.pop("proxy", None)
    return httpx2.AsyncClient(*args, **kwargs)


# ssrf.py looks these names up at call time: its own DNS helper and the httpx module.
ssrf.resolve_hostname = resolve
ssrf.httpx2 = types.SimpleNamespace(**{**vars(httpx2), "AsyncClient": client})

FETCHER = cimd.CIMDFetcher()
LOOP = asyncio.new_event_loop()


def fetch(url):
    FETCHER._cache.clear()
    if not FETCHER.is_cimd_client_id(url):
        return None, "not a CIMD client_id (https, host and a path are required)"
    try:
        return LOOP.run_until_complete(FETCHER.fetch(url)), ""
    except (cimd.CIMDValidationError, cimd.CIMDFetchError) as e:
        return None, " ".join(str(e).split())[:200]
    except Exception as e:  # noqa: BLE001
        # Escapes FastMCP's handling (its server answers 500): the client is not accepted either.
        return None, f"unhandled {type(e).__name__}: " + " ".join(str(e).split())[:160]


def verdict(req):
    ANSWER.status = req.get("status", 200)
    ANSWER.headers = req.get("headers") or [["content-type", "application/json"]]
    ANSWER.body = base64.b64decode(req["body_b64"])
    ANSWER.address = req.get("address", DEFAULT_ADDRESS)
    doc, reason = fetch(req["url"])
    return {"accepted": doc is not None, "reason": reason}


def redirect(req):
    ANSWER.status, ANSWER.headers, ANSWER.address = 200, [["content-type", "application/json"]], DEFAULT_ADDRESS
    ANSWER.body = req["document"].encode()
    doc, reason = fetch(req["url"])
    if doc is None:
        return {"matched": False, "reason": f"document refused: {reason}"}
    return {"matched": FETCHER.validate_redirect_uri(doc, req["uri"]), "reason": ""}


def main():
    for line in sys.stdin:
        req = json.loads(line)
        out = redirect(req["redirect"]) if "redirect" in req else verdict(req)
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
