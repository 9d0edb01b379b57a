#!/usr/bin/env bash
# Long fuzz run: the same CsCheck properties as the CI fuzz tests (tests/*/Fuzz), with many more inputs.
#   benchmarks/fuzz.sh                               ~1.16 million inputs (AUTHKIT_FUZZ_ITERATIONS=40000), a few minutes on 2 cores
#   AUTHKIT_FUZZ_ITERATIONS=2000 benchmarks/fuzz.sh  a quick pass
#   CsCheck_Seed=<seed> benchmarks/fuzz.sh           replay the seed a failure printed
# AUTHKIT_FUZZ_ITERATIONS is the number of inputs per light input class; heavy classes (huge or deep JSON, HTTP
# requests) take a fixed fraction of it (see docs/fuzzing.md). Prints one line per input class (inputs tried, slowest
# call) and the total; exits non-zero when any property failed (the failing tests are listed).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
OUT="$ROOT/TestResults/fuzz"
export AUTHKIT_FUZZ_ITERATIONS=${AUTHKIT_FUZZ_ITERATIONS:-40000}
export AUTHKIT_FUZZ_SUMMARY="$OUT/summary.txt"

command -v dotnet >/dev/null || { echo "fuzz.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
started=$(date +%s)
echo "fuzz.sh: AUTHKIT_FUZZ_ITERATIONS=$AUTHKIT_FUZZ_ITERATIONS on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
dotnet build AuthKit.Blazor.sln -c Release -nologo -v q >"$OUT/build.log" 2>&1 || { tail -20 "$OUT/build.log"; echo "fuzz.sh: build failed" >&2; exit 1; }

failed=0
for proj in tests/AuthKit.Session.Tests/AuthKit.Session.Tests.csproj tests/AuthKit.Blazor.Tests/AuthKit.Blazor.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  echo "=== $name"
  if ! dotnet test "$proj" -c Release --no-build -nologo --filter "FullyQualifiedName~.Fuzz." \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$OUT" >"$OUT/$name.log" 2>&1; then
    failed=1
  fi
  grep -E '^\s*(Passed|Failed) ' "$OUT/$name.log" | sed 's/^ */  /'
done

echo
echo "=== input classes (tried, slowest call; the first call of each class is a warm-up and not timed)"
[ -f "$AUTHKIT_FUZZ_SUMMARY" ] && sed 's/ worst-input=.*//' "$AUTHKIT_FUZZ_SUMMARY"
total=$( [ -f "$AUTHKIT_FUZZ_SUMMARY" ] && grep -o 'tried=[0-9]*' "$AUTHKIT_FUZZ_SUMMARY" | awk -F= '{ s += $2 } END { print s + 0 }' || echo 0)
echo
echo "fuzz.sh: $total inputs in $(( $(date +%s) - started )) s (summary with the slowest input per class: $AUTHKIT_FUZZ_SUMMARY)"
if [ $failed != 0 ]; then
  echo "fuzz.sh: some properties failed (details, with the CsCheck seed, in $OUT/*.log)" >&2
  exit 1
fi
