/**
 * A bound on how long a user waits for a use case. A database that stops answering (a hung
 * connection behind a firewall) never fails a query on its own: without a deadline, `/line status`
 * would wait for minutes. The work is not cancelled, only no longer awaited.
 */
export class DeadlineExceededError extends Error {
  readonly code = 'APP_ERR_DEADLINE_EXCEEDED';
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/** `work`, or a `DeadlineExceededError` after `ms` (no bound when `ms` is undefined). */
export function withDeadline<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(ms)), ms);
  });
  // race() handles a rejection of `work` after the deadline too: never an unhandled rejection.
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
