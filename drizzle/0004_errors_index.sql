-- "Latest error" of a line (/line status, /circle status): newest event whose type is an error.
-- Newest-first over (unique_number, id) with a type filter walks a healthy line's whole history
-- when it has no error: 472 ms for a 500-line circle with 2,000 refreshes per line; one backward
-- probe of this partial index: 1.5 ms (bench/PERF-NOTES.md #19). Only error events are indexed.
CREATE INDEX "registration_events_error_idx" ON "registration_events" USING btree ("unique_number","id") WHERE "type" in ('auth_failed', 'unknown_unique', 'interval_too_brief', 'rejected', 'blocked');