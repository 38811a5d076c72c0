import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_THRESHOLDS } from '../../../src/alerts/engine-options.js';
import { DropRollup } from '../../../src/alerts/detectors/drop-rollup.js';
import type { StoredRegistrationEvent } from '../../../src/domain/index.js';

const T0 = Date.parse('2026-11-26T01:00:00Z');
const th = { ...DEFAULT_ENGINE_THRESHOLDS, deregisterGraceSeconds: 30, siteWindowSeconds: 60, siteMinLines: 3, siteMinFraction: 0.5 };
let id = 0;
const drop = (r: DropRollup, unique: string, circle: string | null, ip: string | null, seconds: number) =>
  r.dropped({ unique, circle, ip, at: new Date(T0 + seconds * 1000), event: { id: ++id } as StoredRegistrationEvent });

describe('DropRollup', () => {
  it('decides a lone drop after the grace, holds correlated drops until their window ends, and forgets recovered lines', () => {
    const r = new DropRollup(th, 0);
    drop(r, 'a1', 'A', '198.51.100.1', 0);
    drop(r, 'a2', 'A', '198.51.100.1', 1);
    drop(r, 'a3', 'A', '198.51.100.2', 2);
    drop(r, 'b1', 'B', '203.0.113.9', 0);
    expect(r.due(T0 + 29_000)).toEqual([]);
    expect(r.due(T0 + 31_000).map((l) => l.unique)).toEqual(['b1']);
    expect(r.neighbours(r.due(T0 + 61_000).find((l) => l.unique === 'a1')!).map((l) => l.unique).sort()).toEqual(['a1', 'a2', 'a3']);
    const a1 = r.due(T0 + 61_000).find((l) => l.unique === 'a1')!;
    expect(r.site(a1, 4, 0)).toEqual({ kind: 'circle', circle: 'A', down: 3, total: 4 });
    expect(r.site(a1, 10, 0)).toBeNull(); // 3 of 10 is under siteMinFraction
    expect(r.inScope({ kind: 'ip', ip: '198.51.100.1', down: 2, total: 2 }).map((l) => l.unique).sort()).toEqual(['a1', 'a2']);
    for (const l of r.due(T0 + 62_000)) r.markDecided(l);
    expect(r.due(T0 + 120_000)).toEqual([]);
    expect(r.isDown('a2')).toBe(true);
    expect(r.recovered('a2')?.unique).toBe('a2');
    expect(r.isDown('a2')).toBe(false);
    expect(r.inScope({ kind: 'circle', circle: 'A', down: 0, total: 4 }).map((l) => l.unique).sort()).toEqual(['a1', 'a3']);
  });

  it('a mass outage of 20,000 lines across 200 circles rolls up per circle and decides every line once', () => {
    const r = new DropRollup(th, 0);
    for (let i = 0; i < 20_000; i++) drop(r, `u${i}`, `c${i % 200}`, `10.0.${Math.floor(i / 250)}.${i % 250}`, (i % 50) / 10);
    expect(r.due(T0 + 40_000)).toEqual([]); // every line has neighbours in its circle: wait for the window
    const due = r.due(T0 + 70_000);
    expect(due).toHaveLength(20_000);
    expect(r.site(due[0]!, 100, 1)).toMatchObject({ kind: 'circle', down: 100, total: 100 });
    for (const l of due) r.markDecided(l);
    expect(r.due(T0 + 80_000)).toHaveLength(0);
  });
});
