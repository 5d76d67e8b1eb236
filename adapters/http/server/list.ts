/**
 * `GET /v1/:collection?…`: the query string of a list, read into the query `find` takes.
 *
 * @internal
 * @module
 */
import { QueryError } from '../../../src/errors';
import { assertNoForbiddenKeys } from './body';

const KNOWN = new Set(['where', 'search', 'orderBy', 'limit', 'cursor', 'includeArchived', 'total']);

function bool(value: string, name: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new QueryError('expected true or false', [name]);
}

/**
 * Read a list's query string: `where` (the filter as JSON), `search`, `orderBy`
 * (`name,-createdAt`: a leading `-` sorts descending), `limit`, `cursor`,
 * `includeArchived`, `total`. For the audit trail every parameter is passed as it is.
 * @throws `QueryError` naming the parameter.
 */
export function parseListQuery(params: URLSearchParams, collection: string): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (collection === 'audit') {
    for (const [key, value] of params) {
      if (key === 'limit') query[key] = Number(value);
      else query[key] = value;
    }
    return query;
  }
  for (const [key, value] of params) {
    if (!KNOWN.has(key)) throw new QueryError(`unknown parameter (expected one of ${[...KNOWN].join(', ')})`, [key]);
    if (key in query) throw new QueryError('given twice', [key]);
    switch (key) {
      case 'where': {
        let filter: unknown;
        try {
          filter = JSON.parse(value);
        } catch {
          throw new QueryError('where is a filter written as JSON', ['where']);
        }
        assertNoForbiddenKeys(filter, collection, ['where']);
        query['where'] = filter;
        break;
      }
      case 'orderBy':
        query['orderBy'] = value
          .split(',')
          .filter(Boolean)
          .map((f) => (f.startsWith('-') ? { field: f.slice(1), direction: 'desc' } : { field: f, direction: 'asc' }));
        break;
      case 'limit': {
        const n = Number(value);
        if (value.trim() === '' || !Number.isFinite(n)) throw new QueryError('limit is a number', ['limit']);
        query['limit'] = n;
        break;
      }
      case 'includeArchived':
      case 'total':
        query[key] = bool(value, key);
        break;
      default:
        query[key] = value;
    }
  }
  return query;
}
