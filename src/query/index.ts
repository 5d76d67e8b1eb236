/**
 * The query language.
 * @module
 */
export type { Condition, Filter, JsonValue, ListOperator, Operator, OrderBy, Page, ScalarOperator, StorageQuery } from './types';
export { DEFAULT_LIMIT, MAX_LIMIT, OPERATORS } from './types';
export { canonicalJson, compareValues, typeRank, valuesEqual } from './order';
export { collectValues, sortValue, splitPath } from './path';
export { comparator, compareKeys, matches, matchesCondition, sortKey } from './evaluate';
export { decodeCursor, encodeCursor, queryHash } from './cursor';
export { fieldPathProblem, normalizeQuery, totalOrder, validateFilter } from './validate';
export type { NormalizedQuery, QueryValidationOptions } from './validate';
