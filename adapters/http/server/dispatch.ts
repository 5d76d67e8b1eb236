/**
 * Generic forwarding: which collections and verbs a view exposes (read from the view itself,
 * so verbs added later need no protocol change), the allowlist, and argument decoding.
 *
 * @internal
 * @module
 */
import type { Crm } from '../../../src/crm';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { LOCAL_ROOT_VERBS, isForwardableVerb } from '../protocol';
import { assertNoForbiddenKeys } from './body';

/** Properties of a view that are not collections. */
const NOT_COLLECTIONS = new Set(['actor', 'timeZone', 'reports']);

type Api = Record<string, unknown>;

function isApi(value: unknown): value is Api {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((v) => typeof v === 'function');
}

/** The collections a view exposes: its own properties holding only verbs. */
export function collectionsOf(view: Crm): string[] {
  return Object.keys(view).filter((k) => !NOT_COLLECTIONS.has(k) && !k.startsWith('_') && isApi((view as unknown as Api)[k]));
}

/** The forwardable verbs of one collection object. */
export function verbsOf(api: unknown): string[] {
  if (!isApi(api)) return [];
  return Object.keys(api).filter((v) => isForwardableVerb(v));
}

/** The reports a view offers (`crm.reports.*`, added by later features). */
export function reportsOf(view: Crm): string[] {
  const reports = (view as unknown as Api)['reports'];
  return isApi(reports) ? Object.keys(reports).filter((r) => isForwardableVerb(r)) : [];
}

/** Verbs on the Crm itself (`crm.search`), minus those that manage the local object. */
export function rootVerbsOf(view: Crm): string[] {
  return Object.keys(view).filter((k) => typeof (view as unknown as Api)[k] === 'function' && !LOCAL_ROOT_VERBS.has(k) && isForwardableVerb(k));
}

/** A verb bound to its collection object, or NotFoundError. */
export function resolveVerb(holder: unknown, collection: string, verb: string, kind: 'verb' | 'report' = 'verb'): (...args: unknown[]) => Promise<unknown> {
  const api = typeof holder === 'object' && holder !== null ? (holder as Api) : undefined;
  // Own properties only: nothing reachable through a prototype (toString, constructor…).
  if (!api || !isForwardableVerb(verb) || !Object.prototype.hasOwnProperty.call(api, verb) || typeof api[verb] !== 'function') {
    throw kind === 'report' ? new NotFoundError('reports', verb) : new NotFoundError('verbs', collection ? `${collection}.${verb}` : verb);
  }
  return (api[verb] as (...args: unknown[]) => Promise<unknown>).bind(api);
}

/** The collection object of a view, or NotFoundError for an unknown collection. */
export function apiOf(view: Crm, collection: string): unknown {
  // The test `collectionsOf` applies to every key, applied to this one alone: it runs on every request.
  const api = Object.prototype.propertyIsEnumerable.call(view, collection) && !NOT_COLLECTIONS.has(collection) && !collection.startsWith('_') ? (view as unknown as Api)[collection] : undefined;
  if (!isApi(api)) throw new NotFoundError('collections', collection);
  return api;
}

/** At most this many arguments cross (no verb takes more). */
const MAX_ARGS = 8;

/**
 * Decode a call's arguments: an array, each checked for forbidden keys (paths relative to
 * the argument, as the engine reports them), and top-level `null` read as absent.
 */
export function decodeArgs(value: unknown, collection: string | undefined): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ValidationError([{ path: ['args'], message: 'args is an array of the verb’s arguments', code: 'invalid_type' }]);
  if (value.length > MAX_ARGS) throw new ValidationError([{ path: ['args'], message: `at most ${MAX_ARGS} arguments`, code: 'too_big' }]);
  return value.map((arg) => {
    assertNoForbiddenKeys(arg, collection);
    // JSON has no `undefined`: a skipped optional argument travels as null.
    return arg === null ? undefined : arg;
  });
}
