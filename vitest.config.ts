import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: PGlite boots and real sockets make more workers slower, not faster.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
