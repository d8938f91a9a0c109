#!/usr/bin/env bash
# cimd next to its peers (FastMCP, the MCP TypeScript SDK), measured in one run, as ratios
# (DESIGN.md, Budgets). From the repository root, with the stock toolchain plus python3, node, npm:
#   bash scripts/bench.sh
# The first run installs the peers (PyPI, npm) and builds cimd in release: minutes. After that, about
# 7-9 minutes on 2 cores with the defaults.
#
# Steps: copy ../shared/peers to target/peers (writable) and run its setup.sh; build the
# bench_peers example and the `cimd` CLI in release; ROUNDS rounds of fastmcp, TS SDK and cimd
# alternating (as the peers' run_all.sh does); the peers' summarize.py; cold starts of
# `cimd create` vs `fastmcp auth cimd create`; a Markdown summary (stdout and summary.md).
#
# Knobs: ROUNDS=2 REPS=7 TARGET_MS=200 COLD_N=10 SKIP_COLD=0 SKIP_PEERS=0 (cimd alone)
#        FASTMCP_MODES=json,core,fetch TS_MODES=json,metadata,cimd REDIRECTS=1
#        PEERS_SRC=<the peers folder> (default ../shared/peers next to the repository)
# Output: target/bench/<UTC stamp>/ (<peer>_r<N>.json and .txt, summary.md from summarize.py,
#         cold_start.txt, report.md = the summary printed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
ROUNDS=${ROUNDS:-2}; REPS=${REPS:-7}; TARGET_MS=${TARGET_MS:-200}; COLD_N=${COLD_N:-10}
SKIP_COLD=${SKIP_COLD:-0}; SKIP_PEERS=${SKIP_PEERS:-0}; REDIRECTS=${REDIRECTS:-1}
FASTMCP_MODES=${FASTMCP_MODES:-json,core,fetch}; TS_MODES=${TS_MODES:-json,metadata,cimd}
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/peers}"
PEERS="$ROOT/target/peers"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/target/bench/$STAMP"
mkdir -p "$OUT"
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
T0=$SECONDS
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. the peers, copied somewhere writable (venv/ and ts/node_modules/ survive between runs)
if [ ! -f "$PEERS_SRC/summarize.py" ]; then
  echo "no peers folder at $PEERS_SRC (set PEERS_SRC)" >&2
  exit 1
fi
mkdir -p "$PEERS"
# --no-preserve=mode: the source is read-only, and setup.sh rewrites docs/ in place.
cp -rf --no-preserve=mode "$PEERS_SRC/." "$PEERS/"
if [ "$SKIP_PEERS" != 1 ]; then
  log "peers: setup.sh (first run: pip + npm installs)"
  bash "$PEERS/setup.sh" > "$OUT/setup.txt" 2>&1 || { cat "$OUT/setup.txt" >&2; exit 1; }
  grep -E '^(fastmcp|@modelcontextprotocol)' "$OUT/setup.txt" >&2 || true
fi
DOCS="$PEERS/docs"

# --- 2. cimd, release
log "cargo build --release (bench_peers example, cimd CLI)"
cargo build --release -p cimd --example bench_peers 2>&1 | tail -n 3 >&2
BENCH="$ROOT/target/release/examples/bench_peers"
CLI="$ROOT/target/release/cimd"
CREATE_ARGS=(create --name "My App" --redirect-uri "http://localhost:*/callback")
CLI_NOTE=""
if cargo build --release -p cimd-cli > "$OUT/cli_build.txt" 2>&1; then
  if ! "$CLI" "${CREATE_ARGS[@]}" > "$OUT/cimd_create.out" 2>&1 || [ ! -s "$OUT/cimd_create.out" ]; then
    CLI_NOTE="\`cimd create\` exits non-zero or prints nothing yet (see cimd_create.out): cold start skipped"
  fi
else
  CLI_NOTE="\`cargo build -p cimd-cli\` failed (see cli_build.txt): cold start skipped"
fi
[ -n "$CLI_NOTE" ] && log "$CLI_NOTE"

# --- 3. throughput rounds, peers alternating (one stretch of machine time per round)
RARGS=(--reps "$REPS" --target-ms "$TARGET_MS")
if [ "$REDIRECTS" != 1 ]; then NORED=1; else NORED=0; fi
for r in $(seq "$ROUNDS"); do
  if [ "$SKIP_PEERS" != 1 ]; then
    log "round $r/$ROUNDS: fastmcp"
    fm_red=(); [ "$NORED" = 1 ] && fm_red=(--redirect-modes "")
    "$PEERS/venv/bin/python" "$PEERS/bench_fastmcp.py" --docs "$DOCS" "${RARGS[@]}" \
      --modes "$FASTMCP_MODES" "${fm_red[@]}" --json-out "$OUT/fastmcp_r$r.json" > "$OUT/fastmcp_r$r.txt"
    log "round $r/$ROUNDS: ts sdk"
    # (bench_ts.mjs has no switch for its redirect cases: they always run, about 12 s)
    (cd "$PEERS/ts" && node bench_ts.mjs --docs "$DOCS" "${RARGS[@]}" --modes "$TS_MODES" \
      --json-out "$OUT/ts_r$r.json") > "$OUT/ts_r$r.txt"
  fi
  log "round $r/$ROUNDS: cimd"
  cm_red=(); [ "$NORED" = 1 ] && cm_red=(--redirect-modes "")
  "$BENCH" --docs "$DOCS" "${RARGS[@]}" "${cm_red[@]}" --json-out "$OUT/cimd_r$r.json" > "$OUT/cimd_r$r.txt"
done
python3 "$PEERS/summarize.py" "$OUT" --ref fastmcp:fetch > /dev/null

# --- 4. cold start: the whole process, start-up included (A = fastmcp, B = cimd: A/B = speed-up)
if [ "$SKIP_COLD" != 1 ] && [ "$SKIP_PEERS" != 1 ] && [ -z "$CLI_NOTE" ]; then
  log "cold start: fastmcp auth cimd create vs cimd create (n=$COLD_N)"
  python3 "$PEERS/cold_start.py" -n "$COLD_N" --vs "$(printf '%q ' "$CLI" "${CREATE_ARGS[@]}")" -- \
    "$PEERS/venv/bin/fastmcp" auth cimd "${CREATE_ARGS[@]}" > "$OUT/cold_start.txt"
fi

# --- 5. the summary
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" "$LOAD0" "$LOAD" "$((SECONDS - T0))" "$CLI_NOTE" > "$OUT/report.md" <<'PY'
import glob, json, os, re, statistics, sys
from collections import defaultdict

out, load0, load, elapsed, cli_note = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
COLS = [("cimd", "validate", "cimd validate"), ("cimd", "json", "serde_json"),
        ("fastmcp", "fetch", "FastMCP fetch"), ("mcp-ts-sdk", "cimd", "TS SDK cimd")]
per = defaultdict(lambda: defaultdict(dict))   # (peer, mode) -> file -> round -> docs/s
red = defaultdict(lambda: defaultdict(dict))   # (peer, mode) -> case -> round -> matches/s
red_res, red_n, rorder = {}, {}, []
sizes, order, envs = {}, [], {}
for path in sorted(glob.glob(os.path.join(out, "*_r*.json"))):
    rnd = int(re.search(r"_r(\d+)\.json$", path).group(1))
    with open(path) as f:
        res = json.load(f)
    peer = res["env"]["peer"]
    envs[peer] = res["env"]
    for d in res.get("docs", []):
        sizes[d["file"]] = d["bytes"]
        if d["file"] not in order:
            order.append(d["file"])
        for mode, r in d["modes"].items():
            per[(peer, mode)][d["file"]][rnd] = r["per_s_median"]
    for c in res.get("redirects", []):
        if c["name"] not in rorder:
            rorder.append(c["name"])
        red_n[c["name"]] = c["n_patterns"]
        for mode, r in c["modes"].items():
            red[(peer, mode)][c["name"]][rnd] = r["per_s_median"]
            red_res[(peer, mode, c["name"])] = r.get("result")

def med(key, fn):
    rounds = per[key].get(fn)
    return statistics.median(rounds.values()) if rounds else None

def ratio(a, b, fn):
    ra, rb = per[a].get(fn, {}), per[b].get(fn, {})
    common = sorted(set(ra) & set(rb))
    return statistics.median(ra[r] / rb[r] for r in common) if common else None

num = lambda v: "" if v is None else f"{v:,.0f}"
rx = lambda v: "" if v is None else f"{v:.2f}x"
rounds = sorted({r for k in per for f in per[k].values() for r in f})
p = print
p(f"# cimd benchmark, {os.path.basename(out)}")
p("")
p(f"Machine: {envs.get('cimd', {}).get('machine', '?')}, load average {load0} at the start, {load} at the end; "
  f"{len(rounds)} round(s), peers alternating; {elapsed} s in all.")
for peer, env in envs.items():
    p(f"- {peer}: " + ", ".join(f"{k}={v}" for k, v in env.items() if k not in ("peer", "started_utc")))
p("")
p("docs/s, median over rounds of each round's median repetition; ratios taken within each round, "
  "median over rounds. Budget: cimd validate >= 40% of serde_json on every document.")
p("")
p("| doc | bytes | " + " | ".join(c[2] for c in COLS) +
  " | cimd / serde_json | cimd / FastMCP | cimd / TS SDK |")
p("|---|---:|" + "---:|" * (len(COLS) + 3))
fails = []
V, J, F, T = (c[:2] for c in COLS)
for fn in order:
    r_json = ratio(V, J, fn)
    mark = ""
    if r_json is not None and r_json < 0.40:
        mark = " ✗"
        fails.append(fn)
    cells = [num(med(c[:2], fn)) for c in COLS]
    cells += [("" if r_json is None else f"{r_json:.0%}{mark}"), rx(ratio(V, F, fn)), rx(ratio(V, T, fn))]
    p(f"| {fn} | {sizes[fn]} | " + " | ".join(cells) + " |")
p("")
if per[V] and per[J]:
    p("Budget (>= 40% of serde_json): " + ("met on every document." if not fails
      else f"**missed on {len(fails)} of {len(order)} documents** ({', '.join(fails)})."))
p("")
RCOLS = [("cimd", "rfc8252", "cimd rfc8252"), ("cimd", "wildcard", "cimd wildcard"),
         ("fastmcp", "fetcher", "FastMCP fetcher"), ("mcp-ts-sdk", "sdk", "TS SDK")]
if rorder and any(red[c[:2]] for c in RCOLS):
    p("Redirect-URI matching, matches/s (median over rounds), verdict in brackets:")
    p("")
    p("| case | n | " + " | ".join(c[2] for c in RCOLS) + " |")
    p("|---|---:|" + "---:|" * len(RCOLS))
    for name in rorder:
        cells = []
        for c in RCOLS:
            rounds = red[c[:2]].get(name)
            v = red_res.get((c[0], c[1], name))
            cells.append(f"{statistics.median(rounds.values()):,.0f} ({'match' if v else 'no'})" if rounds else "")
        p(f"| {name} | {red_n[name]} | " + " | ".join(cells) + " |")
    p("")
cold = os.path.join(out, "cold_start.txt")
if os.path.exists(cold):
    text = open(cold).read()
    def block(name):
        m = re.search(rf"^  {name}\n    wall  (.*)\n    cpu   (.*)\n    rss   (.*)\n", text, re.M)
        return m.groups() if m else ("?", "?", "?")
    def median_of(line):
        m = re.search(r"median ([0-9.]+)", line)
        return float(m.group(1)) if m else None
    a, b = block("A"), block("B")
    ratio_line = re.search(r"A/B wall, pair by pair: (.*)", text)
    p("Cold start, whole process (`create --name \"My App\" --redirect-uri \"http://localhost:*/callback\"`), "
      "runs alternating:")
    p("")
    p("| command | wall median | cpu (user+sys) median | peak RSS median |")
    p("|---|---:|---:|---:|")
    for label, blk in (("`fastmcp auth cimd create`", a), ("`cimd create`", b)):
        w, c, rss = (median_of(x) for x in blk)
        fmt = lambda v, unit, k=1000: "?" if v is None else f"{v * k:.1f} {unit}"
        p(f"| {label} | {fmt(w, 'ms')} | {fmt(c, 'ms')} | {fmt(rss, 'MiB', 1)} |")
    wa, wb = median_of(a[0]), median_of(b[0])
    ca, cb = median_of(a[1]), median_of(b[1])
    rwall = median_of(ratio_line.group(1)) if ratio_line else None
    p("")
    line = f"fastmcp / cimd, wall pair by pair (median): **{rwall:,.0f}x**" if rwall else "wall ratio: ?"
    if ca and cb:
        line += f"; cpu time, ratio of medians (cold_start.py prints whole ms): ~{ca / cb:,.0f}x"
    elif ca:
        line += "; cimd's cpu time is below the rusage resolution"
    p(line + " (budget >= 100x).")
elif cli_note:
    p(f"Cold start: {cli_note}.")
p("")
p(f"Raw: {out}/ (summary.md = the peers' summarize.py with every mode, *_r*.txt = each bench's own table).")
PY
cat "$OUT/report.md"
