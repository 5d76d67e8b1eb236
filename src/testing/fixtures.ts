/**
 * Data sets the suite queries: small enough to reason about by hand, hostile enough to
 * catch index shortcuts (mixed types under one field, values indexes cannot hold).
 *
 * @internal
 * @module
 */
import type { Filter } from '../query/types';
import type { IndexSpec, StoredRecord } from '../storage/adapter';

/**
 * Ten records with mixed value types under the same fields: numbers, numeric strings, `null`,
 * booleans, missing fields, a scalar where others hold an array, nested arrays, arrays of
 * objects.
 */
export const PEOPLE: readonly StoredRecord[] = [
  {
    id: 'r01', version: 1, name: 'Ada', status: 'open', score: 10, tags: ['a', 'b'], active: true,
    address: { city: 'Oslo', zip: '0150' },
    contacts: [{ kind: 'email', value: 'ada@x.io' }, { kind: 'phone', value: '+47 1' }],
  },
  {
    id: 'r02', version: 1, name: 'bob', status: 'closed', score: 3.5, tags: ['b'], active: false,
    address: { city: 'Bergen' }, contacts: [{ kind: 'phone', value: '+47 2' }],
  },
  { id: 'r03', version: 1, name: 'Cem', status: 'open', score: -2, tags: [], active: true, address: { city: 'İstanbul' }, contacts: [] },
  { id: 'r04', version: 1, name: 'dana', status: 'pending', score: null, tags: ['c', 'a'], address: null, active: null },
  { id: 'r05', version: 1, name: 'Émile', status: 'open', score: '12', tags: ['a', 'b', 'c'] },
  { id: 'r06', version: 1, name: 'Fu', score: 0, tags: 'a', address: { city: 'Oslo' } },
  {
    id: 'r07', version: 1, name: 'gül', status: 'closed', score: 10, tags: ['d'], address: { city: 'oslo' },
    contacts: [{ kind: 'email', value: 'g@x.io' }], nested: { deep: { value: 5 } },
  },
  { id: 'r08', version: 1, status: 'open', score: 100, tags: [['a']], nested: { deep: { value: '5' } } },
  { id: 'r09', version: 1, name: '', status: 'OPEN', score: true, tags: null, address: { city: 'Bergen', zip: null } },
  {
    id: 'r10', version: 1, name: 'Hal', status: 'open', score: 7, tags: ['b', 'd'], address: { city: 'Oslo', zip: '0151' },
    contacts: [{ kind: 'email', value: 'h@x.io' }, { kind: 'email', value: 'h2@x.io' }],
  },
];

/** Indexes over {@link PEOPLE}: single, dotted, multi-valued and compound. */
export const PEOPLE_INDEXES: IndexSpec[] = [
  { name: 'status', fields: ['status'] },
  { name: 'score', fields: ['score'] },
  { name: 'name', fields: ['name'] },
  { name: 'tags', fields: ['tags'], multiEntry: true },
  { name: 'address_city', fields: ['address.city'] },
  { name: 'status_score', fields: ['status', 'score'] },
  { name: 'active', fields: ['active'] },
];

/** One operator case: a filter and the ids it matches in {@link PEOPLE}, in id order. */
export interface FilterCase {
  /** What the case checks. */
  what: string;
  /** The filter. */
  where: Filter;
  /** Ids of the matching records, written out by hand. */
  ids: string[];
}

/** Every operator, on indexed and unindexed fields, with expected ids worked out by hand. */
export const FILTER_CASES: readonly FilterCase[] = [
  // eq / ne
  { what: 'eq on a string', where: { field: 'status', op: 'eq', value: 'open' }, ids: ['r01', 'r03', 'r05', 'r08', 'r10'] },
  { what: 'eq is case-sensitive', where: { field: 'status', op: 'eq', value: 'OPEN' }, ids: ['r09'] },
  { what: 'eq on a number never matches a numeric string', where: { field: 'score', op: 'eq', value: 12 }, ids: [] },
  { what: 'eq on a numeric string', where: { field: 'score', op: 'eq', value: '12' }, ids: ['r05'] },
  { what: 'eq 10', where: { field: 'score', op: 'eq', value: 10 }, ids: ['r01', 'r07'] },
  { what: 'eq null matches null, not missing', where: { field: 'score', op: 'eq', value: null }, ids: ['r04'] },
  { what: 'eq true', where: { field: 'active', op: 'eq', value: true }, ids: ['r01', 'r03'] },
  { what: 'eq false', where: { field: 'active', op: 'eq', value: false }, ids: ['r02'] },
  { what: 'eq the empty string', where: { field: 'name', op: 'eq', value: '' }, ids: ['r09'] },
  { what: 'eq on an array field matches an element', where: { field: 'tags', op: 'eq', value: 'd' }, ids: ['r07', 'r10'] },
  { what: 'eq with an array compares whole arrays', where: { field: 'tags', op: 'eq', value: ['a', 'b'] }, ids: ['r01'] },
  { what: 'eq with an object compares deeply', where: { field: 'address', op: 'eq', value: { zip: '0150', city: 'Oslo' } }, ids: ['r01'] },
  { what: 'ne matches missing fields too', where: { field: 'status', op: 'ne', value: 'open' }, ids: ['r02', 'r04', 'r06', 'r07', 'r09'] },
  { what: 'ne null', where: { field: 'score', op: 'ne', value: null }, ids: ['r01', 'r02', 'r03', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10'] },
  // in / nin
  { what: 'in strings', where: { field: 'status', op: 'in', value: ['closed', 'pending'] }, ids: ['r02', 'r04', 'r07'] },
  { what: 'in mixed types', where: { field: 'score', op: 'in', value: [0, '12', null, true] }, ids: ['r04', 'r05', 'r06', 'r09'] },
  { what: 'in an empty list matches nothing', where: { field: 'status', op: 'in', value: [] }, ids: [] },
  { what: 'nin', where: { field: 'status', op: 'nin', value: ['open', 'closed'] }, ids: ['r04', 'r06', 'r09'] },
  { what: 'nin an empty list matches everything', where: { field: 'status', op: 'nin', value: [] }, ids: ['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10'] },
  // ranges
  { what: 'gt on numbers skips strings and booleans', where: { field: 'score', op: 'gt', value: 5 }, ids: ['r01', 'r07', 'r08', 'r10'] },
  { what: 'gte', where: { field: 'score', op: 'gte', value: 7 }, ids: ['r01', 'r07', 'r08', 'r10'] },
  { what: 'lt includes negatives and zero', where: { field: 'score', op: 'lt', value: 3.5 }, ids: ['r03', 'r06'] },
  { what: 'lte with a decimal bound', where: { field: 'score', op: 'lte', value: 3.5 }, ids: ['r02', 'r03', 'r06'] },
  { what: 'gt on strings skips numbers', where: { field: 'score', op: 'gt', value: '' }, ids: ['r05'] },
  { what: 'lt on strings compares code units', where: { field: 'name', op: 'lt', value: 'a' }, ids: ['r01', 'r03', 'r06', 'r09', 'r10'] },
  { what: 'gte on strings with non-ASCII', where: { field: 'name', op: 'gte', value: 'd' }, ids: ['r04', 'r05', 'r07'] },
  { what: 'between numbers, inclusive', where: { field: 'score', op: 'between', value: [0, 10] }, ids: ['r01', 'r02', 'r06', 'r07', 'r10'] },
  { what: 'between strings', where: { field: 'status', op: 'between', value: ['c', 'p'] }, ids: ['r01', 'r02', 'r03', 'r05', 'r07', 'r08', 'r10'] },
  { what: 'range on a dotted path', where: { field: 'address.zip', op: 'gte', value: '0151' }, ids: ['r10'] },
  // exists
  { what: 'exists true counts null as present', where: { field: 'address', op: 'exists', value: true }, ids: ['r01', 'r02', 'r03', 'r04', 'r06', 'r07', 'r09', 'r10'] },
  { what: 'exists false', where: { field: 'status', op: 'exists', value: false }, ids: ['r06'] },
  { what: 'exists on a dotted path', where: { field: 'address.zip', op: 'exists', value: true }, ids: ['r01', 'r09', 'r10'] },
  // strings
  { what: 'contains', where: { field: 'name', op: 'contains', value: 'a' }, ids: ['r01', 'r04', 'r10'] },
  { what: 'contains the empty string matches every string', where: { field: 'name', op: 'contains', value: '' }, ids: ['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r09', 'r10'] },
  { what: 'startsWith', where: { field: 'name', op: 'startsWith', value: 'É' }, ids: ['r05'] },
  { what: 'startsWith is case-sensitive', where: { field: 'address.city', op: 'startsWith', value: 'O' }, ids: ['r01', 'r06', 'r10'] },
  { what: 'startsWith on a numeric-looking string', where: { field: 'score', op: 'startsWith', value: '1' }, ids: ['r05'] },
  // arrays
  { what: 'has', where: { field: 'tags', op: 'has', value: 'a' }, ids: ['r01', 'r04', 'r05', 'r06'] },
  { what: 'has on a nested array element', where: { field: 'tags', op: 'has', value: ['a'] }, ids: ['r08'] },
  { what: 'hasAny', where: { field: 'tags', op: 'hasAny', value: ['c', 'd'] }, ids: ['r04', 'r05', 'r07', 'r10'] },
  { what: 'hasAll', where: { field: 'tags', op: 'hasAll', value: ['a', 'b'] }, ids: ['r01', 'r05'] },
  { what: 'hasAll of nothing matches everything', where: { field: 'tags', op: 'hasAll', value: [] }, ids: ['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10'] },
  // paths
  { what: 'eq on a dotted path', where: { field: 'address.city', op: 'eq', value: 'Oslo' }, ids: ['r01', 'r06', 'r10'] },
  { what: 'a deep dotted path keeps types apart', where: { field: 'nested.deep.value', op: 'eq', value: 5 }, ids: ['r07'] },
  { what: 'a path through an array of objects matches any element', where: { field: 'contacts.kind', op: 'eq', value: 'phone' }, ids: ['r01', 'r02'] },
  { what: 'ne through an array of objects needs every element to differ', where: { field: 'contacts.kind', op: 'ne', value: 'email' }, ids: ['r02', 'r03', 'r04', 'r05', 'r06', 'r08', 'r09'] },
  { what: 'startsWith through an array of objects', where: { field: 'contacts.value', op: 'startsWith', value: 'h' }, ids: ['r10'] },
  { what: 'an array index in a path', where: { field: 'contacts.0.kind', op: 'eq', value: 'email' }, ids: ['r01', 'r07', 'r10'] },
  // logic
  { what: 'and', where: { and: [{ field: 'status', op: 'eq', value: 'open' }, { field: 'score', op: 'gte', value: 10 }] }, ids: ['r01', 'r08'] },
  { what: 'or', where: { or: [{ field: 'status', op: 'eq', value: 'pending' }, { field: 'tags', op: 'has', value: 'd' }] }, ids: ['r04', 'r07', 'r10'] },
  { what: 'not', where: { not: { field: 'tags', op: 'has', value: 'b' } }, ids: ['r03', 'r04', 'r06', 'r07', 'r08', 'r09'] },
  { what: 'and of nothing matches everything', where: { and: [] }, ids: ['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10'] },
  { what: 'or of nothing matches nothing', where: { or: [] }, ids: [] },
  {
    what: 'nested logic with an indexed and an unindexed branch',
    where: {
      and: [
        { or: [{ field: 'address.city', op: 'eq', value: 'Oslo' }, { field: 'contacts.kind', op: 'eq', value: 'phone' }] },
        { not: { field: 'score', op: 'eq', value: 0 } },
      ],
    },
    ids: ['r01', 'r02', 'r10'],
  },
  {
    what: 'a compound-index prefix with a range',
    where: { and: [{ field: 'status', op: 'eq', value: 'open' }, { field: 'score', op: 'between', value: [-5, 9] }] },
    ids: ['r03', 'r10'],
  },
];
