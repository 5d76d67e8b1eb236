/**
 * Indexes a host app declares on a collection, beside the ones rapport keeps: compound
 * indexes that answer "equality, then order by another field" with one walk (`tier = vip`
 * newest first), or a unique key of the app's own. Checked at start against the collection's
 * fields and its built-in indexes.
 *
 * @internal
 * @module
 */
import { fieldPathProblem } from '../query/validate';
import type { IndexSpec } from '../storage/adapter';
import type { CompiledEntity } from './compile';

/** Fields every record has, which an index may name. */
const BASE_FIELDS = new Set(['id', 'version', 'createdAt', 'updatedAt', 'ownerId', 'teamId', 'externalId', 'archivedAt']);

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_FIELDS = 4;

/**
 * What is wrong with the indexes declared for one collection, as `path: message` lines
 * (`indexes.customers.0.fields.1: …`); empty when they can be used.
 */
export function indexProblems(collection: string, declared: unknown, entity: CompiledEntity): string[] {
  const at = `indexes.${collection}`;
  if (!Array.isArray(declared)) return [`${at}: expected a list of { name, fields, unique?, multiEntry? }`];
  const problems: string[] = [];
  const taken = new Set(entity.allIndexes.map((i) => i.name));
  declared.forEach((spec: unknown, i) => {
    const here = `${at}.${i}`;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      problems.push(`${here}: expected { name, fields, unique?, multiEntry? }`);
      return;
    }
    const { name, fields, unique, multiEntry, ...rest } = spec as Record<string, unknown>;
    for (const key of Object.keys(rest)) problems.push(`${here}.${key}: unknown option "${key}"`);
    if (typeof name !== 'string' || !NAME.test(name)) problems.push(`${here}.name: a letter, then up to 63 letters, digits or underscores`);
    else if (taken.has(name)) problems.push(`${here}.name: "${name}" is already an index of ${collection}`);
    else taken.add(name);
    if (unique !== undefined && typeof unique !== 'boolean') problems.push(`${here}.unique: expected true or false`);
    if (multiEntry !== undefined && typeof multiEntry !== 'boolean') problems.push(`${here}.multiEntry: expected true or false`);
    if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_FIELDS) {
      problems.push(`${here}.fields: expected 1 to ${MAX_FIELDS} field paths`);
      return;
    }
    if (multiEntry === true && fields.length !== 1) problems.push(`${here}.multiEntry: a multi-valued index has exactly one field`);
    fields.forEach((field: unknown, j) => {
      const problem = typeof field === 'string' ? (fieldPathProblem(field) ?? fieldProblem(field, entity)) : 'expected a field path';
      if (problem) problems.push(`${here}.fields.${j}: ${problem}`);
    });
    if (new Set(fields).size !== fields.length) problems.push(`${here}.fields: a field appears twice`);
  });
  return problems;
}

function fieldProblem(path: string, entity: CompiledEntity): string | undefined {
  const [head, second] = path.split('.');
  if (head === 'custom') return second !== undefined && second in entity.customFields ? undefined : `"${path}" is not a custom field of ${entity.collection}`;
  if (BASE_FIELDS.has(head as string) || (head as string) in entity.shape) return undefined;
  return `${entity.collection} has no field "${head}"`;
}

/** The declared indexes as the storage keeps them: a path the engine mirrors in a derived field is indexed through it. */
export function declaredIndexes(declared: readonly IndexSpec[], entity: CompiledEntity): IndexSpec[] {
  return declared.map((spec) => ({
    name: spec.name,
    fields: spec.fields.map((f) => entity.rewrites.get(f) ?? f),
    ...(spec.unique ? { unique: true } : {}),
    ...(spec.multiEntry ? { multiEntry: true } : {}),
  }));
}
