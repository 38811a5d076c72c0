/** PostgreSQL SQLSTATEs we map to domain errors (same codes from postgres.js and PGlite). */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

function sqlState(err: unknown): string | undefined {
  let e: unknown = err;
  // drizzle wraps driver errors in DrizzleQueryError with the original in `cause`.
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown) => sqlState(err) === UNIQUE_VIOLATION;
export const isForeignKeyViolation = (err: unknown) => sqlState(err) === FOREIGN_KEY_VIOLATION;
