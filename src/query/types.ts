/**
 * The query language: plain, serializable JSON, the same for every adapter and over HTTP.
 *
 * @module
 */

/** A JSON value, as records hold them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Operators that compare a field with one value. */
export type ScalarOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'startsWith' | 'has';
/** Operators that take a list of values. */
export type ListOperator = 'in' | 'nin' | 'hasAny' | 'hasAll';
/** Every operator of the query language. */
export type Operator = ScalarOperator | ListOperator | 'between' | 'exists';

/** The operators, in the order the documentation lists them. */
export const OPERATORS: readonly Operator[] = [
  'eq',
  'ne',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
  'contains',
  'startsWith',
  'has',
  'hasAny',
  'hasAll',
];

/**
 * One condition on a field. `field` is a dotted path (`addresses.country`, `custom.points`);
 * a path that passes through an array matches when any element matches.
 *
 * - `eq`, `ne`: equality by value (deep for arrays and objects). `ne` also matches a missing field.
 * - `in`, `nin`: the value is (not) one of a list.
 * - `gt`, `gte`, `lt`, `lte`, `between` (`[low, high]`, inclusive): ranges over numbers or
 *   strings; a value of another type never matches.
 * - `exists`: `true` when the field is present (even `null`), `false` when it is missing.
 * - `contains`, `startsWith`: substring and prefix of a string, case-sensitive.
 * - `has`, `hasAny`, `hasAll`: an array field holds one, any or all of the values.
 */
export type Condition =
  | {
      /** A dotted field path, e.g. `addresses.country` or `custom.points`. */
      field: string;
      /** An operator comparing the field with one value. */
      op: ScalarOperator;
      /** The value to compare with. */
      value: JsonValue;
    }
  | {
      /** A dotted field path, e.g. `addresses.country` or `custom.points`. */
      field: string;
      /** An operator taking a list of values. */
      op: ListOperator;
      /** The values to compare with. */
      value: JsonValue[];
    }
  | {
      /** A dotted field path, e.g. `addresses.country` or `custom.points`. */
      field: string;
      /** An inclusive range. */
      op: 'between';
      /** The bounds, `[low, high]`, both inclusive. */
      value: [JsonValue, JsonValue];
    }
  | {
      /** A dotted field path, e.g. `addresses.country` or `custom.points`. */
      field: string;
      /** Whether the field is present. */
      op: 'exists';
      /** `true`: the field is present (even `null`); `false`: it is missing. */
      value: boolean;
    };

/** A filter: a condition, or `and` / `or` / `not` over filters. */
export type Filter =
  | Condition
  | {
      /** Every one of these filters matches. */
      and: Filter[];
    }
  | {
      /** At least one of these filters matches. */
      or: Filter[];
    }
  | {
      /** This filter does not match. */
      not: Filter;
    };

/** One sort key. */
export interface OrderBy {
  /** A dotted path. */
  field: string;
  /** Ascending or descending. @defaultValue `'asc'` */
  direction?: 'asc' | 'desc';
}

/** A query as an adapter receives it. */
export interface StorageQuery {
  /** Only records that match. */
  where?: Filter | undefined;
  /**
   * Sort keys. The engine always appends `id` (in the direction of the last key) so the order
   * is total and cursors are stable.
   */
  orderBy?: OrderBy[] | undefined;
  /**
   * Page size.
   * @defaultValue 50 (at most 1,000)
   */
  limit?: number | undefined;
  /** From the previous page's `nextCursor`. */
  cursor?: string | undefined;
  /**
   * The caller has no use for fields whose names start with `_` (engine-derived: search
   * tokens, materialized index fields). An adapter may leave them out of the records it
   * returns, which saves copying them; an adapter that returns them anyway is still correct.
   * Filters and orderings still see them.
   * @defaultValue false
   */
  omitInternal?: boolean | undefined;
  /**
   * Top-level fields the caller needs besides `id` and `version`. An adapter may leave every
   * other field out of the records it returns (copying a few fields instead of whole records,
   * e.g. only the search tokens of a thousand candidates to rank); an adapter that returns
   * whole records is still correct. Filters and orderings still see every field.
   */
  select?: string[] | undefined;
}

/** One page of results. */
export interface Page<T> {
  /** The records of this page. */
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** Default page size. */
export const DEFAULT_LIMIT = 50;
/** Largest page size. */
export const MAX_LIMIT = 1000;
