#!/usr/bin/env bash
# Runs every test in the solution on a fresh machine.
# Installs what the tests need (Node.js 20 + the interop oracle's npm packages, Debian's chromium and redis-server),
# starts a redis-server on a free loopback port for the Redis tests (stopped on exit),
# builds once, runs each test project, and fails loudly when a project finds no tests or skips any.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd)
CONFIG=${CONFIG:-Release}
RESULTS="$ROOT/TestResults"

die() { echo "test.sh: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi; }
apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found; install $* by hand"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq || die "apt-get update failed"; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

# --- tools ---------------------------------------------------------------------------------
command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH; install it from https://dot.net"
dotnet --list-sdks | grep -q '^10\.' || die "the .NET 10 SDK is required (found: $(dotnet --list-sdks | tr '\n' ' '))"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test.sh: installing Node.js (needed by the interop oracle)"
  apt_install nodejs npm
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js >= 20 is required for the interop oracle (found $(node --version))"
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing Debian chromium (needed by the browser tests)"
  apt_install chromium
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after install"
if ! command -v redis-server >/dev/null; then
  echo "test.sh: installing Debian redis-server (needed by the Redis store tests)"
  apt_install redis-server
fi
command -v redis-server >/dev/null || die "redis-server is missing after install"

# --- redis ---------------------------------------------------------------------------------
# One throwaway redis-server for the tests: loopback, a free port, its own temp dir, no persistence. Fault tests start
# their own instances from AUTHKIT_TEST_REDIS_SERVER.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }
REDIS_DIR=$(mktemp -d -t authkit-redis.XXXXXX)
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$REDIS_DIR" --daemonize no \
  >"$REDIS_DIR/redis.log" 2>&1 &
REDIS_PID=$!
stop_redis() { kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; rm -rf "$REDIS_DIR"; }
trap stop_redis EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; then break; fi
  kill -0 "$REDIS_PID" 2>/dev/null || die "redis-server did not start: $(cat "$REDIS_DIR/redis.log")"
  sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null || die "redis-server did not listen on 127.0.0.1:$REDIS_PORT"
export AUTHKIT_TEST_REDIS="127.0.0.1:$REDIS_PORT"
export AUTHKIT_TEST_REDIS_SERVER=$(command -v redis-server)
echo "test.sh: redis-server on $AUTHKIT_TEST_REDIS"

# --- npm packages --------------------------------------------------------------------------
for dir in tests/interop; do
  [ -f "$dir/package-lock.json" ] || die "$dir/package-lock.json missing"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $dir"
done

# --- build ---------------------------------------------------------------------------------
dotnet build AuthKit.Blazor.sln -c "$CONFIG" -nologo -v minimal || die "build failed"

# --- test ----------------------------------------------------------------------------------
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
projects=$(ls tests/*/*.Tests.csproj)
[ -n "$projects" ] || die "no test projects found under tests/"
failed=0
for proj in $projects; do
  name=$(basename "$proj" .csproj)
  echo "=== $name"
  if ! dotnet test "$proj" -c "$CONFIG" --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
        --results-directory "$RESULTS"; then
    failed=1
  fi
  trx="$RESULTS/$name.trx"
  [ -f "$trx" ] || { echo "test.sh: $name produced no results (no tests found?)" >&2; failed=1; continue; }
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  total=$(sed -E 's/.*total="([0-9]+)".*/\1/' <<<"$counters")
  executed=$(sed -E 's/.*executed="([0-9]+)".*/\1/' <<<"$counters")
  notexec=$(sed -E 's/.*notExecuted="([0-9]+)".*/\1/' <<<"$counters")
  echo "test.sh: $name: total=$total executed=$executed notExecuted=$notexec"
  [ "${total:-0}" -gt 0 ] || { echo "test.sh: $name found no tests" >&2; failed=1; }
  [ "${notexec:-0}" = 0 ] || { echo "test.sh: $name skipped $notexec test(s); skipped tests are not allowed" >&2; failed=1; }
done
# A summary of every failed test last, so the tail of a CI log says what failed and why.
summarize_failures() {
  local trx
  for trx in "$RESULTS"/*.trx; do
    [ -f "$trx" ] || continue
    awk -v project="$(basename "$trx" .trx)" '
      function text(s) {
        gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
        gsub(/&#xD;/, "", s); gsub(/&#xA;/, " ", s); gsub(/&amp;/, "\\&", s); return s }
      /<UnitTestResult / && /outcome="Failed"/ {
        name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
        printf "test.sh: FAILED %s: %s\n", project, text(name); failing = 1; lines = 0; next }
      failing && /<UnitTestResult / { failing = 0 }
      failing && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
      failing && inmsg {
        line = $0; done = sub(/<\/Message>.*/, "", line)
        if (lines++ < 12) printf "test.sh:     %s\n", text(line)
        if (done) { inmsg = 0; failing = 0 } }
    ' "$trx"
  done
}
if [ $failed != 0 ]; then
  summarize_failures >&2
  die "FAILED (results in $RESULTS)"
fi
echo "test.sh: all tests passed"
