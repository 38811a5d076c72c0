/**
 * What a database error means, told from its codes (the same from postgres.js and PGlite): a
 * constraint a repository maps to a domain error, data PostgreSQL refuses for good, or a database
 * that cannot answer now.
 */

/** SQLSTATEs repositories map to domain errors. */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * A database that cannot answer now (refused, reset, timed out, shutting down): worth "try again
 * shortly" (HTTP 503, a chat message saying so), not a bug. postgres.js connection errors, Node
 * socket errors, and SQLSTATE 57P01–57P03 (shutdown, cannot connect now) and 53300 (too many
 * connections); class 08 (connection exception) is matched by prefix.
 */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
  '57P01', '57P02', '57P03', '53300',
]);

/**
 * Every string `code` along the error, its causes (drizzle wraps the driver's error in `cause`)
 * and aggregated errors (a connection tried on several addresses), outermost first; bounded, and
 * safe against cycles.
 */
function* codesOf(err: unknown): Generator<string> {
  const seen = new Set<unknown>();
  const pending: unknown[] = [err];
  while (pending.length > 0 && seen.size < 16) {
    const e = pending.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') yield code;
    pending.push((e as { cause?: unknown }).cause);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) pending.push(...errors);
  }
}

function sqlState(err: unknown): string | undefined {
  for (const code of codesOf(err)) if (/^[0-9A-Z]{5}$/.test(code)) return code;
  return undefined;
}

export const isUniqueViolation = (err: unknown) => sqlState(err) === UNIQUE_VIOLATION;
export const isForeignKeyViolation = (err: unknown) => sqlState(err) === FOREIGN_KEY_VIOLATION;

/**
 * SQLSTATE classes 22 (data exception, e.g. 22021 "invalid byte sequence": PostgreSQL text cannot
 * hold U+0000) and 23 (integrity constraint violation): retrying the same rows cannot succeed.
 */
export function isPermanentDataError(err: unknown): boolean {
  for (const code of codesOf(err)) if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  return false;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  for (const code of codesOf(err)) if (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  return false;
}
