/**
 * What the planner leaves for a query to re-check on each candidate: the conditions an index
 * access answers without a false match are dropped from the per-record check, the rest stay.
 * (That results are unchanged is shown against the reference evaluator by the planner and
 * property tests; this pins which conditions count as answered.)
 */
import { describe, expect, it } from 'vitest';
import { applyStates, buildIndex, createCollection } from '../../../adapters/memory/collection';
import { bestSource, coveredBy, residualFilter } from '../../../adapters/memory/planner';
import type { Filter } from '../../../src/query/index';
import type { IndexSpec, StoredRecord } from '../../../src/index';

function collectionWith(records: StoredRecord[], specs: IndexSpec[]) {
  const c = createCollection('people');
  applyStates(c, new Map(records.map((r) => [r.id, r])));
  for (const spec of specs) c.indexes.set(spec.name, buildIndex(c, spec));
  return c;
}

const people: StoredRecord[] = Array.from({ length: 40 }, (_, i) => ({
  id: `p${String(i).padStart(3, '0')}`,
  version: 1,
  tier: ['vip', 'std', 'gold', 'std'][i % 4] as string,
  score: i,
  tokens: [`n:${['ann', 'anna', 'bob', 'bea'][i % 4]}`, `e:${['ann', 'bo', 'cy', 'di', 'ed'][i % 5]}`],
}));

const specs: IndexSpec[] = [
  { name: 'tier_score', fields: ['tier', 'score'] },
  { name: 'tokens', fields: ['tokens'], multiEntry: true },
];

describe('conditions an access answers', () => {
  it('drops an equality and a range on a compound index, keeps a condition no index answers', () => {
    const c = collectionWith(people, specs);
    const tier: Filter = { field: 'tier', op: 'eq', value: 'std' };
    const score: Filter = { field: 'score', op: 'gte', value: 10 };
    const missing: Filter = { field: 'archivedAt', op: 'exists', value: false };
    const where: Filter = { and: [tier, score, missing] };
    const source = bestSource(c, where);
    expect(coveredBy(source)).toEqual([tier, score]);
    expect(residualFilter(where, coveredBy(source))).toBe(missing);
  });

  it('drops an `or` of token prefixes answered by a union over a multi-entry index', () => {
    const c = collectionWith(people, specs);
    const term: Filter = { or: [{ field: 'tokens', op: 'startsWith', value: 'n:ann' }, { field: 'tokens', op: 'has', value: 'e:bo' }] };
    const missing: Filter = { field: 'archivedAt', op: 'exists', value: false };
    const where: Filter = { and: [missing, term] };
    const source = bestSource(c, where);
    expect(coveredBy(source)).toEqual([term]);
    expect(residualFilter(where, coveredBy(source))).toBe(missing);
  });

  it('keeps an `or` when one branch is answered only in part', () => {
    const c = collectionWith(people, specs);
    // `hasAll` of two values reaches records holding the first, not necessarily the second.
    const term: Filter = { or: [{ field: 'tokens', op: 'startsWith', value: 'n:bob' }, { field: 'tokens', op: 'hasAll', value: ['e:cy', 'n:bea'] }] };
    const where: Filter = { and: [{ field: 'archivedAt', op: 'exists', value: false }, term] };
    const source = bestSource(c, where);
    expect(source).toBeDefined();
    expect(coveredBy(source)).toEqual([]);
    expect(residualFilter(where, coveredBy(source))).toBe(where);
  });

  it('answers nothing for records outside the index (outliers)', () => {
    const odd: StoredRecord = { id: 'p999', version: 1, tier: 'std' }; // no score: an outlier of tier_score
    const c = collectionWith([...people, odd], specs);
    const tier: Filter = { field: 'tier', op: 'eq', value: 'std' };
    const score: Filter = { field: 'score', op: 'lt', value: 5 };
    const source = bestSource(c, { and: [tier, score] });
    expect(source).toBeDefined();
    expect(coveredBy(source)).toEqual([]);
  });

  it('leaves a filter whole when nothing is covered, and nothing when all is', () => {
    const only: Filter = { field: 'tier', op: 'eq', value: 'vip' };
    expect(residualFilter(only, [])).toBe(only);
    expect(residualFilter(only, [only])).toBeUndefined();
    expect(residualFilter(undefined, [only])).toBeUndefined();
  });
});
