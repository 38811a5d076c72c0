/**
 * Guarantee: random and mutated datagrams (RFC 4475 / RFC 5118 torture messages, bit flips,
 * truncations, duplicated headers, huge values, random bytes) and random TCP byte streams never
 * crash the registrar, never make a request handler throw, leave memory flat, and a normal phone
 * still registers afterwards. CI size (FUZZ_CI_COUNT overrides): 10^5 datagrams at 5,000/s with
 * DATABASE_URL (about 35 s for the file on a loaded 2-core machine, measured 2026-11-26); 3×10^4 at
 * 2,000/s on the embedded database, whose start alone takes ~50 s there. `npm run fuzz` runs 10^6
 * (10^5 with CI=true).
 */
import { describe, expect, it } from 'vitest';
import { fuzzSession } from './support/fuzz-session.js';

const REAL_DB = Boolean(process.env.DATABASE_URL);
const COUNT = Number(process.env.FUZZ_CI_COUNT ?? (REAL_DB ? 100_000 : 30_000));
const RATE = REAL_DB ? 5000 : 2000;

describe('fuzzing the registrar over UDP and TCP', { retry: 1 }, () => {
  it(`survives ${COUNT} hostile datagrams and random TCP streams with flat memory`, async () => {
    const result = await fuzzSession({ datagrams: COUNT, ratePerSecond: RATE, maxGrowthMb: 60 });
    console.info(`[fuzz] ${JSON.stringify({ ...result, handlerErrors: result.handlerErrors.length })}`);
    expect(result.handlerErrors, `seed ${result.seed}`).toEqual([]);
    expect(result.failures, `seed ${result.seed}; log tail:\n${result.logTail.join('\n')}`).toEqual([]);
    expect(result.alive).toBe(true);
    expect(result.registration).toBe(200);
  }, 180_000);
});
