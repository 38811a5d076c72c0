import { describe, expect, it } from 'vitest';
import { settleWithin } from '../../../src/async/index.js';

describe('settleWithin', () => {
  it('passes through what settles in time', async () => {
    await expect(settleWithin(Promise.resolve('answer'), 50, () => 'late')).resolves.toBe('answer');
    await expect(settleWithin(Promise.reject(new Error('refused')), 50, () => 'late')).rejects.toThrow('refused');
  });

  it('gives what onTimeout returns, or rejects with what it throws, once the time is up', async () => {
    const never = new Promise<string>(() => {});
    await expect(settleWithin(never, 10, () => ({ ok: false }))).resolves.toEqual({ ok: false });
    await expect(
      settleWithin(never, 10, (): never => {
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
  });

  it('handles a rejection that comes after the time is up (no unhandled rejection)', async () => {
    let fail!: (err: Error) => void;
    const work = new Promise<string>((_, reject) => (fail = reject));
    await expect(settleWithin(work, 10, () => 'timed out', { unref: true })).resolves.toBe('timed out');
    fail(new Error('connection closed'));
    await new Promise((r) => setTimeout(r, 10));
  });
});
