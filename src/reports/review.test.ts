import { describe, expect, it } from 'vitest';
import { percent, suggestTarget, toDays } from './review.ts';

describe('suggested target', () => {
  it('suggests p90 rounded up to a half working day when more than 10 % breached', () => {
    expect(suggestTarget({ targetMinutes: 420, p90Minutes: 552, breachRate: 0.2, count: 5 })).toMatchObject({ suggestedMinutes: 630 });
    expect(suggestTarget({ targetMinutes: 1260, p90Minutes: 1261, breachRate: 0.11, count: 40 }).suggestedMinutes).toBe(1470);
  });
  it('keeps the target at exactly 10 % breached, and between half the target and the target', () => {
    expect(suggestTarget({ targetMinutes: 420, p90Minutes: 430, breachRate: 0.1, count: 50 })).toEqual({ suggestedMinutes: null, reasonFa: null });
    expect(suggestTarget({ targetMinutes: 1260, p90Minutes: 700, breachRate: 0, count: 50 }).suggestedMinutes).toBeNull();
  });
  it('suggests a shorter target when p90 is under half the target, never below half a working day', () => {
    expect(suggestTarget({ targetMinutes: 1260, p90Minutes: 500, breachRate: 0, count: 50 }).suggestedMinutes).toBe(630);
    expect(suggestTarget({ targetMinutes: 420, p90Minutes: 30, breachRate: 0, count: 50 }).suggestedMinutes).toBe(210);
    expect(suggestTarget({ targetMinutes: 1260, p90Minutes: 420, breachRate: 0, count: 50 }).suggestedMinutes).toBe(420);
  });
  it('says so when the sample is too small', () => {
    expect(suggestTarget({ targetMinutes: 420, p90Minutes: 900, breachRate: 0.5, count: 4 }).suggestedMinutes).toBeNull();
    expect(suggestTarget({ targetMinutes: 420, p90Minutes: 900, breachRate: 0.5, count: 4 }).reasonFa).toContain('نمونه کافی نیست');
    expect(suggestTarget({ targetMinutes: 420, p90Minutes: null, breachRate: null, count: 0 }).reasonFa).toBeNull();
  });
  it('converts and rounds', () => {
    expect(toDays(630, 420)).toBe(1.5);
    expect(toDays(null, 420)).toBeNull();
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 0)).toBeNull();
  });
});
