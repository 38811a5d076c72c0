// Bench only (`node --expose-gc --require bench/lib/gc-on-signal.cjs`): SIGUSR2 runs a full garbage
// collection in the serve, so the memory step reads live memory rather than whatever garbage the
// last automatic collection left (the settled figure swung 68–319 MB between identical runs).
'use strict';
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
});
