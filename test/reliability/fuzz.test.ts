/**
 * Guarantee: random and mutated datagrams (RFC 4475 / RFC 5118 torture messages, bit flips,
 * truncations, duplicated headers, huge values, random bytes) and random TCP byte streams never
 * crash the registrar, never make a request handler throw, leave memory flat, and a normal phone
 * still registers afterwards. CI size: FUZZ_CI_COUNT (default 30,000 datagrams, about 15 s at
 * 2,000/s on a loaded 2-core machine); `npm run fuzz` runs 10^6 (10^5 with CI=true).
 */
import { describe, expect, it } from 'vitest';
import { fuzzSession } from './support/fuzz-session.js';

const COUNT = Number(process.env.FUZZ_CI_COUNT ?? 30_000);

describe('fuzzing the registrar over UDP and TCP', () => {
  it(`survives ${COUNT} hostile datagrams and random TCP streams with flat memory`, async () => {
    const result = await fuzzSession({ datagrams: COUNT, ratePerSecond: 2000, maxGrowthMb: 60 });
    console.info(`[fuzz] ${JSON.stringify({ ...result, handlerErrors: result.handlerErrors.length })}`);
    expect(result.handlerErrors, `seed ${result.seed}`).toEqual([]);
    expect(result.failures, `seed ${result.seed}`).toEqual([]);
    expect(result.alive).toBe(true);
    expect(result.registration).toBe(200);
  }, 180_000);
});
