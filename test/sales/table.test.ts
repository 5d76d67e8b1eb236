import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyBag, ratio, ratioList, weigh } from '../../src/reports/table';

describe('report tables', () => {
  it('weighs half away from zero, in integer minor units', () => {
    expect(weigh(0.1, 10005)).toBe(1001);
    expect(weigh(0.5, 20001)).toBe(10001);
    expect(weigh(0.25, 1002)).toBe(251);
    expect(weigh(0.1, -15)).toBe(-2);
    expect(weigh(0.7, 150)).toBe(105);
    expect(weigh(0, 99)).toBe(0);
    expect(weigh(1, 9_007_199_254_740_991)).toBe(9_007_199_254_740_991);
  });

  it('weighs exactly: never more than half a unit from the real product', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: -1e12, max: 1e12 }), (p6, amount) => {
        const w = weigh(p6 / 1e6, amount);
        expect(Number.isInteger(w)).toBe(true);
        const exact = (BigInt(amount) * BigInt(p6) * 2n - BigInt(w) * 2_000_000n);
        expect(exact <= 1_000_000n && exact >= -1_000_000n).toBe(true);
      }),
    );
  });

  it('keeps currencies apart and sorted', () => {
    const bag = new MoneyBag().add('USD', 100).add('EUR', 5).add('USD', 1).add(undefined, 7).add('GBP', null);
    expect(bag.list()).toEqual([{ amount: 5, currency: 'EUR' }, { amount: 101, currency: 'USD' }]);
  });

  it('returns null for a ratio of nothing', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratioList([{ amount: 50, currency: 'USD' }], [{ amount: 200, currency: 'USD' }, { amount: 0, currency: 'EUR' }])).toEqual([
      { currency: 'EUR', rate: null },
      { currency: 'USD', rate: 0.25 },
    ]);
  });
});
