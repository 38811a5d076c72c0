import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../../src/store/db.js';

describe('embedded PGlite sizing', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function open(dataDir: string, sharedBuffersMb?: number): Promise<DbHandle> {
    const handle = await createDb({ kind: 'pglite', dataDir, ...(sharedBuffersMb !== undefined ? { sharedBuffersMb } : {}) });
    cleanup.push(() => handle.close());
    return handle;
  }

  it('starts PostgreSQL with the configured shared_buffers and leaves postgresql.conf as initdb wrote it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lw-pglite-size-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // First start: initdb with PGlite's defaults.
    const first = await open(dataDir);
    expect((await first.query('show shared_buffers', []))[0]).toEqual({ shared_buffers: '128MB' });
    await first.close();
    cleanup.pop();
    const conf = readFileSync(join(dataDir, 'postgresql.conf'), 'utf8');

    const sized = await open(dataDir, 16);
    expect((await sized.query('show shared_buffers', []))[0]).toEqual({ shared_buffers: '16MB' });
    // initdb's settings still apply (PGlite's `postgresqlconf` option would have replaced the file).
    expect((await sized.query('show timezone', []))[0]).toEqual({ TimeZone: 'UTC' });
    expect(readFileSync(join(dataDir, 'postgresql.conf'), 'utf8')).toBe(conf);
    // PGlite's own start parameters are kept as well.
    expect((await sized.query('show search_path', []))[0]).toEqual({ search_path: 'public' });
  }, 60_000);
});
