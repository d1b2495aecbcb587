#!/usr/bin/env bash
# bench.sh: FusionBot beside the official Bot Framework SDK (the botbuilder 4.23 peer) in one run, on loopback.
#
#   scripts/bench.sh [--store sqlite|tables|both]      (default both)
#
# Uses the shared harness in ../shared/bench beside the repository (loadgen.js, mock connector, peer bot).
# Per run: FusionBot (Release build, auth off, default logging) with the embedded SQLite store and/or with Table
# Storage in a fresh in-memory azurite, measured walking bench/intake-script.json (the whole intake dialog, a
# request created per pass); then the peer bot via peer.sh with its own script. FusionBot is stopped before the
# peer starts, so each has the machine (and port 3978) to itself. Prints every run side by side and the medians.
#
# Env: USERS TURNS MAX_SECONDS (passed to the harness), RUNS (1; repeats the whole sequence), RESULTS (a jsonl file
# to append to; default a new file under $TMPDIR, kept), PORT (3978, FusionBot's and the peer's port).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench="$root/../shared/bench"
if [ ! -f "$bench/loadgen.js" ] || [ ! -x "$bench/run.sh" ] || [ ! -x "$bench/peer.sh" ]; then
  echo "bench.sh: the harness is not there ($root/../shared/bench with loadgen.js, run.sh, peer.sh); nothing to measure." >&2
  exit 1
fi
bench=$(cd "$bench" && pwd)

store=both
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store=${2:-}; shift 2 ;;
    --store=*) store=${1#--store=}; shift ;;
    *) echo "usage: scripts/bench.sh [--store sqlite|tables|both]" >&2; exit 2 ;;
  esac
done
case "$store" in sqlite) stores=(sqlite) ;; tables) stores=(tables) ;; both) stores=(sqlite tables) ;;
  *) echo "bench.sh: --store must be sqlite, tables or both" >&2; exit 2 ;; esac

runs=${RUNS:-1}
port=${PORT:-3978}
results=${RESULTS:-${TMPDIR:-/tmp}/fusionbot-bench-$(date +%Y%m%d-%H%M%S).jsonl}
work=$(mktemp -d "${TMPDIR:-/tmp}/fusionbot-bench.XXXXXX")
bot_pid=''
azurite_pid=''
stop() { # stop one process we started, by pid, and wait for it
  if [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi
}
cleanup() { stop "$bot_pid"; stop "$azurite_pid"; rm -rf "$work"; }
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# peer.sh stops its bot without waiting for it, so give the port a few seconds to come free before giving up.
require_port() {
  for _ in $(seq 40); do port_free "$1" && return 0; sleep 0.25; done
  echo "bench.sh: port $1 is taken; set PORT" >&2; exit 1
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})'; }

if [ "$store" != sqlite ] && [ ! -x "$root/tools/node_modules/.bin/azurite-table" ]; then
  bash "$root/scripts/bootstrap.sh"
fi

echo "bench: publishing FusionBot (Release) to $work/app"
dotnet publish "$root/src/FusionBot" -c Release -o "$work/app" --nologo -v q >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }

start_azurite() {
  local azurite_port; azurite_port=$(free_port)
  "$root/tools/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$azurite_port" \
    --inMemoryPersistence --disableTelemetry --silent >"$work/azurite.log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 120); do
    if grep -qi "successfully started" "$work/azurite.log"; then break; fi
    kill -0 "$azurite_pid" 2>/dev/null || { cat "$work/azurite.log"; exit 1; }
    sleep 0.5
  done
  grep -qi "successfully started" "$work/azurite.log" || { echo "azurite did not start:"; cat "$work/azurite.log"; exit 1; }
  # The documented development account of azurite (public, not a secret).
  connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"
}

cpu_ms() { # utime + stime of a process, in ms
  awk '{ sub(/^.*\) /, ""); print ($12 + $13) * 10 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

run_fusionbot() { # $1 = sqlite | tables
  local kind=$1 label="fusionbot-$1"
  require_port "$port"
  # The per-user limits stay on (their cost is measured) but are set above what the harness's users send.
  local env=(ASPNETCORE_ENVIRONMENT=Benchmark ASPNETCORE_URLS="http://127.0.0.1:$port" Storage__EmbeddedPath="$work/$label-$RANDOM.db"
    RateLimit__PermitsPerPeriod=1000000 Intake__MaxRequestsPerDay=1000000)
  if [ "$kind" = tables ]; then
    start_azurite
    env+=(Storage__ConnectionString="$connection" Storage__TablePrefix="bench$RANDOM")
  fi
  (cd "$work/app" && exec env "${env[@]}" dotnet FusionBot.dll) >"$work/$label.log" 2>&1 &
  bot_pid=$!
  for _ in $(seq 120); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
    kill -0 "$bot_pid" 2>/dev/null || { echo "FusionBot exited:"; cat "$work/$label.log"; exit 1; }
    sleep 0.5
  done
  local store_cpu0=0; [ -n "$azurite_pid" ] && store_cpu0=$(cpu_ms "$azurite_pid")
  echo "bench: $label (pid $bot_pid)"
  LABEL=$label SCRIPT="$root/bench/intake-script.json" RESULTS="$results" \
    "$bench/run.sh" "http://127.0.0.1:$port/api/messages" "$bot_pid" 2>&1 | tee "$work/run.log" \
    || echo "bench: $label run had errors (see above)"
  if [ -n "$azurite_pid" ]; then
    # azurite is another process, so the harness counts its CPU in otherCpuPct; say how much of that it was.
    local store_ms turns
    store_ms=$(( $(cpu_ms "$azurite_pid") - store_cpu0 ))
    turns=$(( $(sed -nE 's/^warm-up: ([0-9]+) turns.*/\1/p' "$work/run.log" | head -1) + $(grep -m1 '^{' "$work/run.log" | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).turns)') ))
    echo "  azurite CPU over warm-up + measured phase: $store_ms ms for $turns turns ($(( store_ms * 1000 / (turns > 0 ? turns : 1) )) µs per turn; counted in otherCpuPct)"
  fi
  stop "$bot_pid"; bot_pid=''
  stop "$azurite_pid"; azurite_pid=''
}

for run in $(seq "$runs"); do
  echo "== run $run of $runs =="
  for kind in "${stores[@]}"; do run_fusionbot "$kind"; done
  require_port "$port"
  echo "bench: botbuilder peer"
  PEER_PORT=$port RESULTS="$results" SCRIPT= "$bench/peer.sh" || echo "bench: peer run had errors (see above)"
done

echo
echo "== all runs ($results) =="
node "$bench/compare.js" "$results"
echo
echo "== medians per label =="
node - "$results" <<'JS'
const fs = require('node:fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const median = (xs) => { const s = xs.filter((x) => x != null).sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] / 2 + s[s.length >> 1] / 2 : null; };
const labels = [...new Set(rows.map((r) => r.label))];
const m = Object.fromEntries(labels.map((l) => {
  const rs = rows.filter((r) => r.label === l);
  return [l, { runs: rs.length, clean: rs.filter((r) => r.otherCpuPct <= 10).length,
    tps: median(rs.map((r) => r.turnsPerSec)), p99: median(rs.map((r) => r.p99Ms)), rss: median(rs.map((r) => r.botPeakRssMB)),
    cpu: median(rs.map((r) => r.botCpuMsPerTurn)), errors: rs.reduce((s, r) => s + r.errors, 0) }];
}));
const peer = labels.find((l) => l.startsWith('botbuilder'));
for (const l of labels) {
  const x = m[l];
  const vs = peer && l !== peer ? `  ${(x.tps / m[peer].tps).toFixed(2)}x peer turns/s, ${(x.p99 / m[peer].p99).toFixed(2)}x peer p99` : '';
  console.log(`${l.padEnd(20)} runs ${x.runs} (otherCpu<=10%: ${x.clean})  ${x.tps} turns/s  p99 ${x.p99} ms  peak RSS ${x.rss} MB  CPU ${x.cpu} ms/turn  errors ${x.errors}${vs}`);
}
JS
