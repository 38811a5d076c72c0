/**
 * Number autocomplete for slash-command options (Discord): the uniques or circles starting with
 * what was typed, and in a channel restricted to some accounts only theirs, so autocomplete never
 * reveals a number the channel could not look up.
 */
import type { CircleRepo, UniqueRepo } from '../../domain/index.js';
import { normalizeNumber } from './parse-command.js';

/** Autocomplete answers at most this many numbers (Discord's limit). */
export const COMPLETE_LIMIT = 25;
/** Candidates examined when a restricted channel filters autocomplete by account. */
const COMPLETE_SCAN_LIMIT = 100;

export interface AutocompleteRepos {
  readonly uniques: Pick<UniqueRepo, 'searchNumbers' | 'get'>;
  readonly circles: Pick<CircleRepo, 'searchNumbers' | 'get'>;
}

/** Numbers of `kind` starting with `prefix` that a channel seeing `allowed` accounts may see. */
export async function completeNumbers(repos: AutocompleteRepos, kind: 'unique' | 'circle', prefix: string, allowed: ReadonlySet<string> | 'all'): Promise<string[]> {
  const p = normalizeNumber(prefix);
  if (!/^[0-9]{0,32}$/.test(p)) return [];
  const repo = kind === 'unique' ? repos.uniques : repos.circles;
  if (allowed === 'all') return repo.searchNumbers(p, COMPLETE_LIMIT);
  if (allowed.size === 0) return [];
  const candidates = await repo.searchNumbers(p, COMPLETE_SCAN_LIMIT);
  const accountOfCircle = new Map<string, string | null>();
  const circleAccount = async (circle: string) => {
    if (!accountOfCircle.has(circle)) accountOfCircle.set(circle, (await repos.circles.get(circle))?.accountLoginId ?? null);
    return accountOfCircle.get(circle) ?? null;
  };
  const out: string[] = [];
  for (const number of candidates) {
    if (out.length >= COMPLETE_LIMIT) break;
    const circle = kind === 'circle' ? number : (await repos.uniques.get(number))?.circleNumber;
    const account = circle ? await circleAccount(circle) : null;
    if (account !== null && allowed.has(account)) out.push(number);
  }
  return out;
}
