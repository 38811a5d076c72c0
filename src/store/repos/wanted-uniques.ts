/**
 * The uniques a per-unique read runs over, as a FROM item named `wanted(n)` for a LATERAL probe.
 * The list travels as one jsonb parameter, so the statement text never changes with its length
 * (postgres.js prepares it once); a circle selects its own uniques, so its reads need not wait for
 * the list (bench/PERF-NOTES.md #28).
 */
/** $1: the uniques as a JSON array. */
export const UNIQUES_IN_LIST = 'jsonb_array_elements_text($1::text::jsonb) as wanted(n)';
/** $1: circle number, $2: unique type or null (every type). */
export const UNIQUES_OF_CIRCLE =
  '(select number as n from uniques where circle_number = $1 and ($2::text is null or type = $2::text)) as wanted';
