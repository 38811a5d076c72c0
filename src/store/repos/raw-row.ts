/**
 * Column values of rows read with `DbHandle.query` (raw snake_case rows): postgres.js and PGlite
 * parse timestamptz to Date and int8 possibly to text, so each value is normalised here.
 */
export const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const asNumberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
