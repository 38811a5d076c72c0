import { describe, expect, it } from 'vitest';
import type { ExternalLineState, ExternalLoginServers } from '../../../src/domain/index.js';
import { queryMany } from '../../../src/external/index.js';

/** Counts how many queries run at once; each takes a few ms. */
function slowServers(fail: (unique: string) => boolean = () => false) {
  let running = 0;
  let peak = 0;
  const external: ExternalLoginServers = {
    has: () => true,
    async query(unique): Promise<ExternalLineState> {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5 + (Number(unique) % 3)));
      running--;
      if (fail(unique)) throw new Error(`adapter bug for ${unique}`);
      return { ok: true, bindings: [], lastRegisterAt: null };
    },
  };
  return { external, peak: () => peak };
}

describe('queryMany', () => {
  it('never runs more than the concurrency at once and keeps input order', async () => {
    const { external, peak } = slowServers();
    const items = Array.from({ length: 25 }, (_, i) => ({ unique: String(i), loginServer: 'sip5.example.net' }));
    const results = await queryMany(external, items, 4);
    expect(peak()).toBe(4);
    expect(results.map((r) => r.unique)).toEqual(items.map((i) => i.unique));
    expect(results.every((r) => r.state.ok)).toBe(true);
  });

  it('turns a throwing query into an error state instead of rejecting', async () => {
    const { external } = slowServers((u) => u === '2');
    const results = await queryMany(external, [0, 1, 2, 3].map((i) => ({ unique: String(i), loginServer: 'x' })));
    expect(results[2]!.state).toEqual({ ok: false, reason: 'error', message: 'adapter bug for 2' });
    expect(results.filter((r) => r.state.ok)).toHaveLength(3);
  });

  it('handles no items and a nonsense concurrency', async () => {
    const { external, peak } = slowServers();
    expect(await queryMany(external, [])).toEqual([]);
    await queryMany(external, [{ unique: '1', loginServer: 'x' }, { unique: '2', loginServer: 'x' }], 0);
    expect(peak()).toBe(1);
  });
});
