"""FastMCP's CIMD validation in process, on the benchmark's documents (tests/data/peers).

Run with the virtualenv of scripts/peers/setup.mjs (npm run bench does):

    target/peers/venv/bin/python scripts/peers/bench_fastmcp.py --docs tests/data/peers \
        [--reps 7] [--target-ms 200] [--modes json,server] [--no-redirects] [--json-out FILE]

Document modes (docs/s):
  json    json.loads(body): the in-run yardstick.
  server  what FastMCP's server runs for a URL client_id: CIMDFetcher.is_cimd_client_id(url),
          then CIMDFetcher.fetch(url), whose HTTP layer (ssrf_safe_fetch_response) is replaced
          by one that hands back the document (status 200, Cache-Control max-age=3600).
          The fetcher's cache is emptied before each call, so every call parses and validates.
          A rejected document counts as handled: docs/s to reach the verdict.
Redirect matching (matches/s): CIMDFetcher.validate_redirect_uri(doc, uri) on the manifest's
redirect_cases, the document as the server holds it after fetch.

Timing is the one of crates/cimd/examples/bench_peers.rs: one untimed call, the iteration count
grown 4x until a block takes >= target/4 and scaled to the target, one warm-up repetition, then
--reps timed ones; docs/s at the median repetition and at the fastest. Output: a table on stdout
and, with --json-out, the same JSON shape as bench_peers.
"""

import argparse
import asyncio
import json
import logging
import os
import platform
import statistics
import sys
import time
from importlib.metadata import version

import fastmcp.server.auth.cimd as cimd
from fastmcp.server.auth.ssrf import SSRFFetchResponse

# FastMCP logs a line per validated or rejected document; that is I/O, not validation.
logging.getLogger("fastmcp").setLevel(logging.CRITICAL)
logging.getLogger("mcp").setLevel(logging.CRITICAL)


class Network:
    """Stands in for FastMCP's HTTP layer: answers every request with `body`."""

    def __init__(self):
        self.body = b""

    async def fetch_response(self, url, **_options):
        headers = {"content-type": "application/json", "cache-control": "max-age=3600",
                   "content-length": str(len(self.body))}
        return SSRFFetchResponse(content=self.body, status_code=200, headers=headers)


async def no_network(url, *_args, **_options):
    # fetch() checks a document's jwks_uri with a DNS lookup; no benchmark document has one, and a
    # measurement that touched the network would time the network.
    raise RuntimeError(f"the benchmark does not resolve names ({url})")


NETWORK = Network()
# fetch() looks both names up in its module at call time.
cimd.ssrf_safe_fetch_response = NETWORK.fetch_response
cimd.validate_url = no_network

FETCHER = cimd.CIMDFetcher()
LOOP = asyncio.new_event_loop()


async def server_calls(n, url):
    """`n` times the server's path for `url`; returns how many documents were accepted."""
    accepted = 0
    for _ in range(n):
        FETCHER._cache.clear()
        if not FETCHER.is_cimd_client_id(url):
            continue
        try:
            await FETCHER.fetch(url)
            accepted += 1
        except (cimd.CIMDValidationError, cimd.CIMDFetchError):
            pass
    return accepted


def server_verdict(body, url):
    """(accepted, reason) for one document, through the server's path."""
    NETWORK.body = body
    if not FETCHER.is_cimd_client_id(url):
        return False, "not a CIMD client_id (https, host and a path are required)"
    FETCHER._cache.clear()
    try:
        LOOP.run_until_complete(FETCHER.fetch(url))
        return True, ""
    except (cimd.CIMDValidationError, cimd.CIMDFetchError) as e:
        return False, " ".join(str(e).split())[:160]


def runner(mode, body, url):
    """A function of n that handles the document n times in `mode`."""
    if mode == "json":
        def run(n):
            for _ in range(n):
                try:
                    json.loads(body)
                except ValueError:
                    pass
        return run
    if mode == "server":
        def run(n):
            NETWORK.body = body
            LOOP.run_until_complete(server_calls(n, url))
        return run
    raise SystemExit(f"unknown mode {mode} (json, server)")


def time_block(run, target_s, reps):
    run(1)  # one-time costs (lazy imports, schema builds) stay out of the calibration
    n = 1
    while True:
        t0 = time.perf_counter()
        run(n)
        dt = time.perf_counter() - t0
        if dt >= target_s / 4 or n >= 1 << 24:
            break
        n *= 4
    n = max(1, int(n * target_s / max(dt, 1e-9)))
    run(n)  # warm-up repetition
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run(n)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    return {"iters_per_rep": n, "reps": reps, "rep_times_s": times,
            "per_s_median": n / median, "per_s_best": n / min(times),
            "us_per_op_median": median / n * 1e6}


def redirect_cases(manifest, docs):
    """(name, expect, document as the server holds it, requested URI, number of registered URIs)."""
    by_file = {d["file"]: d for d in docs}
    for case in manifest.get("redirect_cases", []):
        if "doc" in case:
            d = by_file[case["doc"]]
            NETWORK.body, url = d["body"], d["url"]
        else:
            # A pattern list alone: the smallest document that registers it.
            url = "https://app.example.com/oauth/client.json"
            NETWORK.body = json.dumps({"client_id": url, "redirect_uris": case["patterns"]}).encode()
        FETCHER._cache.clear()
        doc = LOOP.run_until_complete(FETCHER.fetch(url))
        uri = doc.redirect_uris[-1] if case["redirect_uri"] == "LAST" else case["redirect_uri"]
        yield case["name"], case["expect"], doc, uri, len(doc.redirect_uris)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", required=True, help="folder with manifest.json and the documents")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--target-ms", type=float, default=200.0)
    ap.add_argument("--modes", default="json,server")
    ap.add_argument("--no-redirects", action="store_true")
    ap.add_argument("--json-out")
    a = ap.parse_args()
    if a.reps < 1:
        ap.error("--reps must be at least 1")
    modes = [m for m in a.modes.split(",") if m]

    manifest_path = os.path.join(a.docs, "manifest.json")
    if not os.path.exists(manifest_path):
        sys.exit(f"bench_fastmcp: no {manifest_path} (the documents are in tests/data/peers)")
    with open(manifest_path) as f:
        manifest = json.load(f)
    docs = []
    for d in manifest["docs"]:
        with open(os.path.join(a.docs, d["file"]), "rb") as f:
            docs.append(dict(d, body=f.read()))

    env = {"peer": "fastmcp", "fastmcp": version("fastmcp"), "mcp": version("mcp"),
           "pydantic": version("pydantic"), "pydantic_core": version("pydantic-core"),
           "python": platform.python_version(), "machine": f"{platform.machine()} {os.cpu_count()} cpu"}
    print("# bench_fastmcp " + " ".join(f"{k}={v}" for k, v in env.items()))

    print("\n## verdicts (server path)")
    verdicts = []
    for d in docs:
        ok, reason = server_verdict(d["body"], d["url"])
        verdicts.append({"file": d["file"], "expect": d["expect"], "accepted": ok, "reason": reason})
        print(f"{d['file']:34} expect={d['expect']:8} fastmcp={'ACCEPT' if ok else 'REJECT':6} {reason}")

    print(f"\n## documents: docs/s (reps={a.reps}, ~{a.target_ms:.0f} ms per rep; median / best)")
    print(f"{'doc':34} {'bytes':>5}  " + "  ".join(f"{m:>20}" for m in modes))
    rows = []
    for d in docs:
        results = {m: time_block(runner(m, d["body"], d["url"]), a.target_ms / 1000, a.reps) for m in modes}
        cells = [f"{r['per_s_median']:.0f}/{r['per_s_best']:.0f}" for r in results.values()]
        print(f"{d['file']:34} {len(d['body']):5}  " + "  ".join(f"{c:>20}" for c in cells), flush=True)
        rows.append({"file": d["file"], "bytes": len(d["body"]), "expect": d["expect"], "modes": results})

    redirects = []
    if not a.no_redirects:
        print("\n## redirect-URI matching: matches/s (median / best), CIMDFetcher.validate_redirect_uri")
        for name, expect, doc, uri, count in redirect_cases(manifest, docs):
            matched = FETCHER.validate_redirect_uri(doc, uri)

            def run(n, doc=doc, uri=uri):
                for _ in range(n):
                    FETCHER.validate_redirect_uri(doc, uri)

            r = time_block(run, a.target_ms / 1000, a.reps)
            r["result"] = matched
            print(f"{name:26} n={count:<3} expect={str(expect):12} {'MATCH' if matched else 'no':5} "
                  f"{r['per_s_median']:.0f}/{r['per_s_best']:.0f}", flush=True)
            redirects.append({"name": name, "uri": uri, "n_patterns": count, "expect": expect,
                              "modes": {"fetcher": r}})

    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump({"env": env, "verdicts": verdicts, "docs": rows, "redirects": redirects}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
