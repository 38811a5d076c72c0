import { describe, expect, it } from 'vitest';
import { refreshKeptDays } from '../../../src/domain/index.js';

describe('refreshKeptDays', () => {
  it('is the refresh retention when it is the shorter, else the one for every event; 0 keeps for good', () => {
    expect(refreshKeptDays({ refreshDays: 7, eventDays: 90 })).toBe(7);
    expect(refreshKeptDays({ refreshDays: 120, eventDays: 90 })).toBe(90);
    expect(refreshKeptDays({ refreshDays: 0, eventDays: 90 })).toBe(90);
    expect(refreshKeptDays({ refreshDays: 7, eventDays: 0 })).toBe(7);
    expect(refreshKeptDays({ refreshDays: 0, eventDays: 0 })).toBe(0);
  });
});
