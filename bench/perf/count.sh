#!/usr/bin/env bash
# Instructions per operation under callgrind (independent of machine load).
# Usage: bench/perf/count.sh inproc 0 3000            → Ir per registration = (Ir(3000) − Ir(0)) / 3000
#        bench/perf/count.sh parse  0 10000 [parse|accessors]
# The drivers warm up first (not counted), so the difference is optimised code plus its GC.
# Bundles the driver with esbuild into bench/perf/dist/ (git-ignored; BUNDLE=file.mjs runs a prebuilt
# bundle instead) and runs node --single-threaded (no concurrent JIT/GC threads: counts repeat).
set -euo pipefail
cd "$(dirname "$0")/../.."
driver=$1; n1=$2; n2=$3; mode=${4:-}
bundle=${BUNDLE:-bench/perf/dist/${driver}-driver.mjs}
if [ -z "${BUNDLE:-}" ]; then
  mkdir -p bench/perf/dist
  npx esbuild "bench/perf/${driver}-driver.ts" --bundle --platform=node --format=esm --outfile="$bundle" --log-level=warning
fi
ir() {
  local out; out=$(mktemp)
  if [ "$driver" = parse ]; then args=("${mode:-parse}" "$1"); else args=("$1"); fi
  valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$out" \
    node --single-threaded "$bundle" "${args[@]}" >&2 2>/dev/null
  grep -E '^(summary|totals):' "$out" | head -1 | awk '{print $2}'
  rm -f "$out"
}
a=$(ir "$n1"); b=$(ir "$n2")
echo "$driver ${mode} $bundle Ir($n1)=$a Ir($n2)=$b → $(( (b - a) / (n2 - n1) )) Ir per op"
