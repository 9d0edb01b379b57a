#!/usr/bin/env bash
# Runs every benchmark of the benchmarks issue in one go and writes benchmarks/RESULTS.md.
#   benchmarks/run.sh            full run (~4-5 minutes on a 2-core machine)
#   QUICK=1 benchmarks/run.sh    a fast sanity pass (numbers not meaningful)
# Installs what it needs: wrk (Debian) for the HTTP figures, the Node side's npm packages (npm ci).
# Raw JSON of the run goes to benchmarks/artifacts/ (not committed); RESULTS.md is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
BENCH=$(pwd)
ROOT=$(cd .. && pwd)
ART="$BENCH/artifacts"
QUICK=${QUICK:-0}

die() { echo "run.sh: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
step() { echo; echo "=== $* ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a))"; }

command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "run.sh: installing Node.js"
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null || die "could not install Node.js"
fi
if ! command -v wrk >/dev/null; then
  echo "run.sh: installing wrk (loopback load generator)"
  { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends wrk >/dev/null; } \
    || echo "run.sh: wrk not installable; the HTTP benchmark falls back to its in-process HttpClient load generator"
fi

rm -rf "$ART"; mkdir -p "$ART"
if [ "$QUICK" = 1 ]; then echo quick > "$ART/mode.txt"; else echo full > "$ART/mode.txt"; fi
cut -d' ' -f1-3 /proc/loadavg > "$ART/loadavg-start.txt" 2>/dev/null || true
start=$(date +%s)

step "build (Release)"
dotnet build "$BENCH/AuthKit.Benchmarks/AuthKit.Benchmarks.csproj" -c Release -nologo -v q || die "build failed"
RUN=(dotnet "$BENCH/AuthKit.Benchmarks/bin/Release/net10.0/AuthKit.Benchmarks.dll")

step "npm ci (benchmarks/node)"
(cd "$BENCH/node" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in benchmarks/node"

if [ "$QUICK" = 1 ]; then
  export AUTHKIT_BENCH_QUICK=1; MICRO_ARGS=(); NODE_ARGS=(1 1); HTTP_ARGS=(2 1); STORM_ROUNDS=2; EMU_SECONDS=1
  CROSS_ROUNDS=1; SIGNOUT_ROUNDS=8
else
  MICRO_ARGS=(); NODE_ARGS=(3 3); HTTP_ARGS=(5 3); STORM_ROUNDS=30; EMU_SECONDS=5
  CROSS_ROUNDS=30; SIGNOUT_ROUNDS=200
fi

step "items 1-4, 8: BenchmarkDotNet"
"${RUN[@]}" micro "$ART/micro.json" "${MICRO_ARGS[@]}" > "$ART/micro.log" 2>&1 || { tail -50 "$ART/micro.log"; die "micro benchmarks failed"; }
grep -E '^\|' "$ART/micro.log" || true

step "item 5: Node @workos/authkit-session withAuth"
"${RUN[@]}" fixture "$ART/fixture.json" 64
(cd "$BENCH/node" && node withauth.mjs "$ART/fixture.json" "${NODE_ARGS[@]}") > "$ART/node.json" || die "node benchmark failed"
cat "$ART/node.json"

step "item 6: HTTP requests/s, AuthKit scheme vs cookie auth"
"${RUN[@]}" http "$ART/http.json" "${HTTP_ARGS[@]}" || die "http benchmark failed"

if ! command -v redis-server >/dev/null; then
  echo "run.sh: installing redis-server (the Redis store rows)"
  { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends redis-server >/dev/null; } \
    || die "could not install redis-server"
fi
step "item R: HTTP requests/s, UseRedis vs the in-memory store, and Redis commands per warm request"
AUTHKIT_TEST_REDIS_SERVER=$(command -v redis-server) "${RUN[@]}" redis-http "$ART/redis-http.json" "${HTTP_ARGS[@]}" || die "redis http benchmark failed"

step "item 7: refresh storm"
"${RUN[@]}" storm "$ART/storm.json" "$STORM_ROUNDS" || die "refresh storm failed"

step "item R: refresh storm across 2 and 4 servers on one Redis"
AUTHKIT_TEST_REDIS_SERVER=$(command -v redis-server) "${RUN[@]}" cross-storm "$ART/cross-storm.json" "$CROSS_ROUNDS" || die "cross-server refresh storm failed"

step "item R: sign-out on one server reaching an open circuit on another"
AUTHKIT_TEST_REDIS_SERVER=$(command -v redis-server) "${RUN[@]}" cross-signout "$ART/cross-signout.json" "$SIGNOUT_ROUNDS" 4 || die "cross-server sign-out benchmark failed"

step "emulator start-up and throughput"
"${RUN[@]}" emulator "$ART/emulator.json" "$EMU_SECONDS" || die "emulator benchmark failed"

cut -d' ' -f1-3 /proc/loadavg > "$ART/loadavg-end.txt" 2>/dev/null || true
step "report"
"${RUN[@]}" report "$ART" "$BENCH/RESULTS.md"
echo "run.sh: done in $(( $(date +%s) - start )) s; results in benchmarks/RESULTS.md"
