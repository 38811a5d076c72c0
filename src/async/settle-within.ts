/**
 * `work`, or the error `onTimeout` makes once `ms` have passed. The work is not cancelled, only no
 * longer awaited; a rejection it brings later is handled (`Promise.race` subscribed to it), never
 * an unhandled rejection. `unref`: the timer does not keep the process alive.
 */
export function settleWithin<T>(work: Promise<T>, ms: number, onTimeout: () => Error, options: { unref?: boolean } = {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    if (options.unref) timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
