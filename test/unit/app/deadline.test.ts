import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, withDeadline } from '../../../src/app/deadline.js';

describe('withDeadline', () => {
  it('passes through what settles in time, value or error', async () => {
    await expect(withDeadline(Promise.resolve(7), 50)).resolves.toBe(7);
    await expect(withDeadline(Promise.reject(new Error('no such line')), 50)).rejects.toThrow('no such line');
  });

  it('rejects with DeadlineExceededError when the work outlasts the bound, and ignores its late outcome', async () => {
    let fail!: (err: Error) => void;
    const work = new Promise<number>((_, reject) => (fail = reject));
    const err = await withDeadline(work, 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ code: 'APP_ERR_DEADLINE_EXCEEDED', ms: 20 });
    // A rejection after the deadline is handled (vitest fails the run on an unhandled one).
    fail(new Error('connection closed'));
    await new Promise((r) => setTimeout(r, 10));
  });

  it('does not bound work when no deadline is given', async () => {
    const slow = new Promise<string>((r) => setTimeout(() => r('done'), 30));
    await expect(withDeadline(slow, undefined)).resolves.toBe('done');
  });
});
