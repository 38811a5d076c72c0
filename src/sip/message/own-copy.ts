/**
 * A string of its own, for a value taken from a request and kept after it.
 *
 * @remarks Header values are slices of the decoded request (V8 "sliced strings" point into their
 * parent), so anything that kept them would keep the whole ~1 KB request in memory for as long as
 * it lives: bench/perf/binding-memory.ts measured 2.5 KB of heap per binding, most of it request
 * texts. A round trip through UTF-8 bytes gives a flat string of s's own length (the request was
 * decoded from UTF-8, so this is exact); it also turns a concatenation into one flat string.
 * `(' ' + s).slice(1)`, used before, gave a sliced string over a private copy: 32 bytes more per
 * value (bench/PERF-NOTES.md #21, #33). Strings shorter than 13 characters are never sliced by V8
 * (`slice` copies them).
 */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}
