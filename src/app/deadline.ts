/**
 * A bound on how long a user waits for a use case. A database that stops answering (a hung
 * connection behind a firewall) never fails a query on its own: without a deadline, `/line status`
 * would wait for minutes. The work is not cancelled, only no longer awaited.
 */
import { settleWithin } from '../async/index.js';

export class DeadlineExceededError extends Error {
  readonly code = 'APP_ERR_DEADLINE_EXCEEDED';
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/** `work`, or a `DeadlineExceededError` after `ms` (no bound when `ms` is undefined). */
export function withDeadline<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  return ms === undefined
    ? work
    : settleWithin(work, ms, (): never => {
        throw new DeadlineExceededError(ms);
      });
}
