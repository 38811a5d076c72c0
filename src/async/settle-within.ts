/**
 * `work`, or what `onTimeout` returns (or throws) once `ms` have passed. The work is not
 * cancelled, only no longer awaited; a rejection it brings later is handled (`Promise.race`
 * subscribed to it), never an unhandled rejection. `unref`: the timer does not keep the process alive.
 */
export function settleWithin<T, F>(work: Promise<T>, ms: number, onTimeout: () => F, options: { unref?: boolean } = {}): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<F>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (err) {
        reject(err);
      }
    }, ms);
    if (options.unref) timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
