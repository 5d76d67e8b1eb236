/**
 * Turns zod issues into rapport's {@link ValidationIssue}s with messages a person can read.
 * zod/mini ships no messages of its own (loading its locale would be a global side effect on
 * the host app), so the messages are written here from each issue's code.
 *
 * @internal
 * @module
 */
import type { ValidationIssue } from '../errors';

/** The subset of a zod issue we read. */
interface RawIssue {
  code: string;
  path: PropertyKey[];
  message?: string;
  expected?: string;
  keys?: string[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  values?: unknown[];
  options?: unknown[];
  format?: string;
  inclusive?: boolean;
  errors?: RawIssue[][];
  input?: unknown;
}

// Only the type is named, never the value: messages may cross HTTP and reach logs.
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A readable message for one issue. */
export function messageOf(issue: RawIssue): string {
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'a whole number' : (issue.expected ?? 'another type');
      if (!('input' in issue)) return `expected ${expected}`;
      return issue.input === undefined ? `required ${expected} is missing` : `expected ${expected}, got ${describe(issue.input)}`;
    }
    case 'unrecognized_keys':
      return `unknown field${(issue.keys?.length ?? 0) > 1 ? 's' : ''} ${(issue.keys ?? []).map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `must have at least ${String(issue.minimum)} ${issue.origin === 'string' ? 'character' : 'item'}${issue.minimum === 1 ? '' : 's'}`
        : `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `must have at most ${String(issue.maximum)} ${issue.origin === 'string' ? 'character' : 'item'}s`
        : `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'starts_with') return 'has the wrong prefix';
      return issue.format === 'regex' || issue.format === undefined ? 'has an invalid format' : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return issue.options
        ? `must be one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}`
        : 'does not match any allowed shape';
    case 'not_multiple_of':
      return 'must be a whole number';
    default:
      return 'is invalid';
  }
}

/** Convert zod issues (with an optional path prefix) into rapport issues. */
export function toIssues(issues: readonly RawIssue[], prefix: readonly (string | number)[] = []): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      // One issue per unknown key, at the key's own path, so a form can point at the field.
      for (const key of issue.keys) out.push({ path: [...path, key], message: 'is not a known field', code: issue.code });
      continue;
    }
    out.push({ path, message: messageOf(issue), code: issue.code });
  }
  return out;
}

/**
 * The `path: message` lines of an options check (`indexes.customers.0.fields.1: …`) as the
 * issues of one `ValidationError`, index segments as numbers.
 *
 * @example
 * ```ts
 * optionIssues(['roles.support.grants.planets: unknown collection "planets"']);
 * // [{ path: ['roles', 'support', 'grants', 'planets'], message: 'unknown collection "planets"', code: 'invalid_option' }]
 * ```
 */
export function optionIssues(problems: readonly string[]): ValidationIssue[] {
  return problems.map((p) => {
    const colon = p.indexOf(':');
    const path = p
      .slice(0, colon)
      .split('.')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    return { path, message: p.slice(colon + 2), code: 'invalid_option' };
  });
}
