/**
 * Keeps `npm run bench` from rotting: a CI-sized run must complete and print its tables.
 * It asserts nothing about speed (timing goals live in the bench itself, not in tests).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/spawn-linewatch.js';

describe('npm run bench -- --quick', () => {
  it('runs linewatch and Kamailio through SIPp and reports every step', () => {
    if (!process.env.DATABASE_URL) throw new Error('the bench needs PostgreSQL: set DATABASE_URL (npm test does when PostgreSQL is up)');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--only=linewatch,kamailio-memory,queries,memory'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/\| linewatch \+ PostgreSQL \| 100 \|/);
    expect(run.stdout).toMatch(/\| Kamailio in memory \| 100 \|/);
    expect(run.stdout).toMatch(/"vsKamailioMemory"/);
    expect(run.stdout).toMatch(/"lineStatus"/);
  }, 300_000);
});
