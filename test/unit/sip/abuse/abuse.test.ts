import { describe, expect, it } from 'vitest';
import { AbuseGuard } from '../../../../src/sip/abuse/abuse-guard.js';
import { FailureTracker } from '../../../../src/sip/abuse/failure-tracker.js';
import { isScannerUserAgent } from '../../../../src/sip/abuse/scanner-user-agents.js';
import { TokenBucketLimiter } from '../../../../src/sip/abuse/token-bucket.js';

describe('TokenBucketLimiter', () => {
  it('allows the burst, then the sustained rate', () => {
    const l = new TokenBucketLimiter({ ratePerSecond: 10, burst: 5, maxSources: 100 });
    const results = Array.from({ length: 6 }, () => l.take('ip', 0));
    expect(results).toEqual([true, true, true, true, true, false]);
    expect(l.take('ip', 100)).toBe(true); // 0.1 s → 1 token
    expect(l.take('ip', 100)).toBe(false);
  });
  it('stays bounded under a spoofed-source flood', () => {
    const l = new TokenBucketLimiter({ ratePerSecond: 10, burst: 5, maxSources: 1000 });
    for (let i = 0; i < 10_000; i++) l.take(`10.0.${i >> 8}.${i & 255}`, i);
    expect(l.trackedSources).toBeLessThanOrEqual(1000);
    expect(l.trackedSources).toBeGreaterThanOrEqual(500);
  });
});

describe('FailureTracker', () => {
  it('counts failures in a sliding window', () => {
    const f = new FailureTracker({ windowSeconds: 60, maxFailures: 3, maxDistinctUniques: 100, maxSources: 10 });
    expect(f.record('ip', 'u', 0)).toBe('ok');
    expect(f.record('ip', 'u', 30_000)).toBe('ok');
    expect(f.record('ip', 'u', 61_000)).toBe('ok'); // the first one left the window
    expect(f.record('ip', 'u', 62_000)).toBe('too_many_failures');
  });
  it('detects one source trying many distinct uniques', () => {
    const f = new FailureTracker({ windowSeconds: 60, maxFailures: 100, maxDistinctUniques: 3, maxSources: 10 });
    expect(f.record('ip', 'a', 0)).toBe('ok');
    expect(f.record('ip', 'a', 1)).toBe('ok');
    expect(f.record('ip', 'b', 2)).toBe('ok');
    expect(f.record('ip', 'c', 3)).toBe('too_many_uniques');
  });
});

describe('AbuseGuard', () => {
  it('blocks once over the threshold, reports the block once, lifts it after blockSeconds', () => {
    const g = new AbuseGuard({ maxFailures: 2, blockSeconds: 10 });
    expect(g.recordFailure('ip', 'u', 0)).toBeNull();
    const block = g.recordFailure('ip', 'u', 1);
    expect(block).toMatchObject({ reason: 'too_many_failures', until: 10_001 });
    expect(g.recordFailure('ip', 'u', 2)).toBeNull(); // already blocked: no second report
    expect(g.admit('ip', 5000)).toBe('blocked');
    expect(g.admit('other', 5000)).toBe('ok');
    expect(g.admit('ip', 10_002)).toBe('ok');
  });
  it('a scanner request starts a block at once', () => {
    const g = new AbuseGuard();
    expect(g.recordFailure('ip', 'u', 0, true)).toMatchObject({ reason: 'scanner' });
  });
  it('never limits allow-listed sources', () => {
    const g = new AbuseGuard({ burst: 1, ratePerSecond: 0.001, maxFailures: 1, allowList: ['192.0.2.1'] });
    for (let i = 0; i < 10; i++) expect(g.admit('192.0.2.1', 0)).toBe('ok');
    expect(g.recordFailure('192.0.2.1', 'u', 0)).toBeNull();
    expect(g.admit('192.0.2.2', 0)).toBe('ok');
    expect(g.admit('192.0.2.2', 0)).toBe('rate_limited');
  });
});

describe('scanner User-Agents', () => {
  it.each(['friendly-scanner', 'sipvicious 0.3', 'sipcli/v1.8', 'VaxSIPUserAgent/3.1', 'sundayddr', 'iWar', 'sip-scan'])('%s is a scanner', (ua) => {
    expect(isScannerUserAgent(ua)).toBe(true);
  });
  it.each(['Yealink SIP-T46S 66.85.0.5', 'Grandstream GXP2170', 'Zoiper rv2.10', null])('%s is not', (ua) => {
    expect(isScannerUserAgent(ua)).toBe(false);
  });
});
