#!/usr/bin/env bash
# `npm test`: the whole suite, self-sufficient on a clean machine (and what .ci/run calls).
# Installs what is missing (node_modules, SIPp, Kamailio), starts PostgreSQL when it is down,
# points storage tests at it, runs vitest, and ends with a plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

[ -d node_modules/vitest ] || { log "installing npm dependencies"; npm ci --no-audit --no-fund >&2 || exit 1; }

missing=()
command -v sipp >/dev/null || missing+=(sip-tester)
command -v kamailio >/dev/null || missing+=(kamailio)
[ -e /usr/lib/x86_64-linux-gnu/kamailio/modules/db_postgres.so ] || missing+=(kamailio-postgres-modules)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || log "could not install ${missing[*]}: the tests that need them will fail and say so"
fi

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if ! pg_up && command -v pg_ctlcluster >/dev/null; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  done
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if [ -z "${DATABASE_URL:-}" ] && pg_up; then export DATABASE_URL=postgres://postgres@127.0.0.1:5432/test; fi
if [ -n "${DATABASE_URL:-}" ]; then log "storage tests also run on $DATABASE_URL"; else log "PostgreSQL not reachable: storage tests run on PGlite only"; fi

report=$(mktemp /tmp/linewatch-vitest-XXXXXX.json)
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node -e '
  const fs = require("fs");
  let r = {};
  const status = Number(process.argv[2]);
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch {}
  // A file that failed without a failing test (an import error, a failing beforeAll) counts as
  // one failure; a file whose tests failed is already counted through them.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((t) => t.status === "failed")).length;
  const passed = r.numPassedTests ?? 0, failed = (r.numFailedTests ?? 0) + brokenFiles, skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (!r.testResults && status !== 0) { console.log("0 passed, 1 failed"); process.exit(0); }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$report" "$status"
rm -f "$report"
exit $status
