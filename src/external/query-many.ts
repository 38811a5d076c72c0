/**
 * "Query all" for a circle's "?" uniques: asks external registrars with bounded concurrency so a
 * circle of hundreds of lines does not open hundreds of connections to one Kamailio at once.
 */
import type { ExternalLineState, ExternalLoginServers } from '../domain/index.js';

export interface ExternalQueryItem {
  readonly unique: string;
  readonly loginServer: string;
}

export interface ExternalQueryResult extends ExternalQueryItem {
  readonly state: ExternalLineState;
}

/** Default for a circle view's "query all". */
export const DEFAULT_QUERY_CONCURRENCY = 4;

/**
 * Queries every item, at most `concurrency` at a time; results come back in input order.
 * Never rejects: a query that throws becomes `{ok:false, reason:'error'}`.
 */
export async function queryMany(
  external: ExternalLoginServers,
  items: readonly ExternalQueryItem[],
  concurrency: number = DEFAULT_QUERY_CONCURRENCY,
): Promise<ExternalQueryResult[]> {
  const limit = Math.max(1, Math.floor(Number.isFinite(concurrency) ? concurrency : DEFAULT_QUERY_CONCURRENCY));
  const results: ExternalQueryResult[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    // Each worker takes the next index until none are left: at most items.length iterations overall.
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      let state: ExternalLineState;
      try {
        state = await external.query(item.unique, item.loginServer);
      } catch (err) {
        state = { ok: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
      }
      results[index] = { unique: item.unique, loginServer: item.loginServer, state };
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
