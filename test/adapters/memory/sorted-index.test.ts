import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareParts } from '../../../adapters/memory/keys';
import { SortedIndex } from '../../../adapters/memory/sorted-index';

type Entry = [key: string | number, id: string];

function compareEntries(a: Entry, b: Entry): number {
  return compareParts(a[0], b[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

function entries(index: SortedIndex, reverse = false): Entry[] {
  const out: Entry[] = [];
  index.entries((id, key) => {
    out.push([key as string | number, id]);
  });
  const ids: string[] = [];
  index.walk(index.start(), index.end(), reverse, (i) => {
    ids.push(i);
  });
  expect(ids).toEqual((reverse ? [...out].reverse() : out).map((e) => e[1]));
  return reverse ? out.reverse() : out;
}

const key = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constantFrom('', 'a', 'ab', 'b', 'ü', 'z'));
const id = fc.integer({ min: 0, max: 400 }).map((n) => `r${String(n).padStart(3, '0')}`);

describe('SortedIndex', () => {
  it('keeps entries ordered by key then id through random inserts and deletes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), key, id), { maxLength: 3000 }), (ops) => {
        const index = new SortedIndex(1);
        const model: Entry[] = [];
        for (const [insert, k, i] of ops) {
          const at = model.findIndex((e) => e[0] === k && e[1] === i);
          if (insert && at < 0) {
            index.insert(k, i);
            model.push([k, i]);
          } else if (!insert) {
            expect(index.delete(k, i)).toBe(at >= 0);
            if (at >= 0) model.splice(at, 1);
          }
        }
        model.sort(compareEntries);
        expect(index.size).toBe(model.length);
        expect(entries(index)).toEqual(model);
        expect(entries(index, true)).toEqual([...model].reverse());
      }),
      { numRuns: 60 },
    );
  });

  it('keeps compound entries ordered through random inserts, batches and deletes, and seeks by prefix', () => {
    type Compound = [parts: [string | number, string | number], id: string];
    const cmp = (a: Compound, b: Compound): number =>
      compareParts(a[0][0], b[0][0]) || compareParts(a[0][1], b[0][1]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    const part = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'ab'));
    const op = fc.tuple(fc.constantFrom('insert', 'batch', 'delete'), fc.array(fc.tuple(part, part, id), { minLength: 1, maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), part, (ops, probe) => {
        const index = new SortedIndex(2);
        let model: Compound[] = [];
        const has = (e: Compound): boolean => model.some((m) => cmp(m, e) === 0);
        for (const [kind, rows] of ops) {
          const fresh: Compound[] = [];
          for (const [x, y, i] of rows) {
            const e: Compound = [[x, y], i];
            if (kind === 'delete') {
              expect(index.delete([x, y], i)).toBe(has(e));
              model = model.filter((m) => cmp(m, e) !== 0);
            } else if (!has(e) && !fresh.some((f) => cmp(f, e) === 0)) {
              fresh.push(e);
            }
          }
          if (kind === 'insert') for (const e of fresh) index.insert([...e[0]], e[1]);
          if (kind === 'batch') index.insertMany(fresh.map((e) => [...e[0]]), fresh.map((e) => e[1]));
          model.push(...fresh);
        }
        model.sort(cmp);
        const got: Compound[] = [];
        index.entries((i, k) => {
          got.push([k as [string | number, string | number], i]);
        });
        expect(got).toEqual(model);
        expect(index.size).toBe(model.length);
        // The entries whose first part is `probe`, counted and walked from a prefix seek.
        const from = index.seek([probe], undefined, false);
        const to = index.seek([probe], undefined, true);
        const ids: string[] = [];
        index.walk(from, to, false, (i) => {
          ids.push(i);
        });
        expect(ids).toEqual(model.filter((m) => compareParts(m[0][0], probe) === 0).map((m) => m[1]));
        expect(index.countBetween(from, to)).toBe(ids.length);
      }),
      { numRuns: 150 },
    );
  });

  it('splits and merges chunks without losing order at scale', () => {
    const index = new SortedIndex(1);
    const model: Entry[] = [];
    for (let n = 0; n < 20_000; n++) {
      const e: Entry = [n % 97, `id${(n * 7919) % 20_000}`];
      index.insert(e[0], e[1]);
      model.push(e);
    }
    for (let n = 0; n < 20_000; n += 3) expect(index.delete((model[n] as Entry)[0], (model[n] as Entry)[1])).toBe(true);
    const kept = model.filter((_, n) => n % 3 !== 0).sort(compareEntries);
    expect(entries(index)).toEqual(kept);
    expect(index.countBetween(index.start(), index.end())).toBe(kept.length);
  });

  it('counts and walks the entries of a key, a range and a prefix group', () => {
    const index = new SortedIndex(2);
    const rows: [string, number, string][] = [];
    for (let n = 0; n < 3000; n++) rows.push([n % 3 === 0 ? 'vip' : 'std', n % 50, `c${String(n).padStart(4, '0')}`]);
    index.insertMany(rows.map(([t, s]) => [t, s]), rows.map((r) => r[2]));
    const group = (prefix: unknown[]) => index.countBetween(index.seek(prefix, undefined, false), index.seek(prefix, undefined, true));
    expect(group(['vip'])).toBe(1000);
    expect(group(['vip', 3])).toBe(rows.filter((r) => r[0] === 'vip' && r[1] === 3).length);
    const from = index.seek(['std', 10], undefined, true);
    const to = index.seek(['std', 20], undefined, false);
    expect(index.countBetween(from, to)).toBe(rows.filter((r) => r[0] === 'std' && r[1] > 10 && r[1] < 20).length);
    expect(group(['gold'])).toBe(0);
  });

  it('seeks strictly after and at a (key, id) position', () => {
    const index = new SortedIndex(1);
    // Ids name their entries (key, then number) so the walk shows where it starts.
    index.insertMany(['b', 'a', 'b', 'c'], ['b2', 'a1', 'b1', 'c1']);
    const idsFrom = (pos: ReturnType<SortedIndex['seek']>) => {
      const out: string[] = [];
      index.walk(pos, index.end(), false, (i) => {
        out.push(i);
      });
      return out;
    };
    expect(idsFrom(index.seek(['b'], 'b1', true))).toEqual(['b2', 'c1']);
    expect(idsFrom(index.seek(['b'], 'b1', false))).toEqual(['b1', 'b2', 'c1']);
    expect(idsFrom(index.seek([null], 'x', false))).toEqual(['a1', 'b1', 'b2', 'c1']);
  });

  it('bulk-loads as the same order as one insert at a time', () => {
    const keys = Array.from({ length: 5000 }, (_, n) => (n % 2 ? n % 13 : `k${n % 17}`));
    const ids = keys.map((_, n) => `i${(n * 31) % 5000}`);
    const bulk = new SortedIndex(1);
    bulk.insertMany(keys, ids);
    const single = new SortedIndex(1);
    keys.forEach((k, n) => single.insert(k, ids[n] as string));
    expect(entries(bulk)).toEqual(entries(single));
  });

  it('merges batches of every size into a large index chunk by chunk, as one insert at a time would', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 1000 }), (batches, seed) => {
        const bulk = new SortedIndex(1);
        const model: Entry[] = [];
        let n = seed;
        for (const size of batches) {
          const keys: (string | number)[] = [];
          const ids: string[] = [];
          for (let i = 0; i < size; i++) {
            n++;
            // Mixed types, repeated keys, and ids out of order within a key.
            const k = n % 3 === 0 ? (n * 7919) % 97 : `k${(n * 104_729) % 211}`;
            const id = `i${String((n * 2_654_435_761) % 1_000_003).padStart(7, '0')}-${n}`;
            keys.push(k);
            ids.push(id);
            model.push([k, id]);
          }
          bulk.insertMany(keys, ids);
          expect(bulk.size).toBe(model.length);
        }
        model.sort(compareEntries);
        expect(entries(bulk)).toEqual(model);
        expect(entries(bulk, true)).toEqual([...model].reverse());
        // Positions still count right after the chunks were rebuilt.
        expect(bulk.countBetween(bulk.start(), bulk.end())).toBe(model.length);
      }),
      { numRuns: 40 },
    );
  });

  it('merges batches into a compound index chunk by chunk', () => {
    const bulk = new SortedIndex(2);
    const single = new SortedIndex(2);
    for (let b = 0; b < 30; b++) {
      const keys = Array.from({ length: 300 }, (_, i) => [`r${(b * 300 + i) % 41}`, `2024-01-${String(((b * 300 + i) * 7) % 28).padStart(2, '0')}`]);
      const ids = keys.map((_, i) => `a${b}-${i}`);
      bulk.insertMany(keys, ids);
      keys.forEach((k, i) => single.insert(k, ids[i] as string));
    }
    const walk = (index: SortedIndex): string[] => {
      const out: string[] = [];
      index.entries((id, key) => {
        out.push(`${JSON.stringify(key)} ${id}`);
      });
      return out;
    };
    expect(walk(bulk)).toEqual(walk(single));
  });
});
