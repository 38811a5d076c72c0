-- bindings: every accepted REGISTER rewrites its row (cseq, call_id, refreshed_at, expires_at).
-- With room left in each page PostgreSQL updates the row in place as a heap-only tuple (no new
-- primary-key entry); with full pages (the default fillfactor 100) every update writes the new
-- version to another page plus an index entry, and table and index bloat between autovacuum runs:
-- the refresh phase of `npm run bench` got slower commits as it went (bench/PERF-NOTES.md #15).
-- Vacuum this small, hot table after 2 % of its rows changed instead of 20 %.
ALTER TABLE "bindings" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000);
