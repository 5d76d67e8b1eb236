/**
 * The policy made from roles: an actor may do what any of their roles grants, as far as the
 * broadest granted scope reaches; a field is hidden (or read-only) only if every role of the
 * actor hides it.
 *
 * @module
 */
import type { Actor } from '../engine/types';
import type { Filter } from '../query/types';
import type { Action, Decision, Policy } from './policy';
import type { RoleDefinition, ScopeName } from './roles';

/** What the policy needs to know about the collections. */
export interface RolePolicyOptions {
  /** Role definitions by name (built-in ones merged with the host's). */
  roles: Readonly<Record<string, RoleDefinition>>;
  /** The field naming a record's assignee, per collection, for `own` scope. */
  assigneeFields: Readonly<Record<string, string | undefined>>;
  /** Sensitive fields per collection. */
  sensitiveFields: Readonly<Record<string, readonly string[]>>;
}

const RANK: Record<ScopeName, number> = { own: 0, team: 1, all: 2 };

function grantOf(role: RoleDefinition, collection: string, action: Action): ScopeName | undefined {
  const specific = role.grants[collection]?.[action];
  if (specific !== undefined) return specific;
  return collection === 'audit' ? undefined : role.grants['*']?.[action];
}

/** Make a {@link Policy} from role definitions. */
export function rolePolicy(options: RolePolicyOptions): Policy {
  const fieldCache = new Map<string, ReadonlySet<string>>();

  function broadest(actor: Actor, action: Action, collection: string): ScopeName | undefined {
    let best: ScopeName | undefined;
    for (const name of actor.roles) {
      const role = options.roles[name];
      const scope = role && grantOf(role, collection, action);
      if (scope && (best === undefined || RANK[scope] > RANK[best])) best = scope;
    }
    return best;
  }

  function ownFilter(actor: Actor, collection: string): Filter {
    const assignee = options.assigneeFields[collection];
    const owner: Filter = { field: 'ownerId', op: 'eq', value: actor.id };
    return assignee ? { or: [owner, { field: assignee, op: 'eq', value: actor.id }] } : owner;
  }

  function scopeFilter(actor: Actor, scope: ScopeName, collection: string): Filter | undefined {
    if (scope === 'all') return undefined;
    const own = ownFilter(actor, collection);
    if (scope === 'own' || !actor.teamIds?.length) return own;
    return { or: [own, { field: 'teamId', op: 'in', value: actor.teamIds }] };
  }

  function inScope(actor: Actor, scope: ScopeName, collection: string, record: Record<string, unknown>): boolean {
    if (scope === 'all') return true;
    const assignee = options.assigneeFields[collection];
    if (record['ownerId'] === actor.id || (assignee !== undefined && record[assignee] === actor.id)) return true;
    return scope === 'team' && typeof record['teamId'] === 'string' && (actor.teamIds ?? []).includes(record['teamId']);
  }

  function fieldRule(actor: Actor, collection: string, kind: 'hiddenFields' | 'readOnlyFields'): ReadonlySet<string> {
    const key = `${kind}|${collection}|${actor.roles.join('\u0000')}`;
    let cached = fieldCache.get(key);
    if (cached) return cached;
    let result: Set<string> | undefined;
    for (const name of actor.roles) {
      const role = options.roles[name];
      if (!role) continue;
      const own = new Set(role[kind]?.[collection] ?? []);
      if (kind === 'hiddenFields' && role.readsSensitive === false) for (const f of options.sensitiveFields[collection] ?? []) own.add(f);
      // A field stays hidden (read-only) only when every role hides it: roles grant, never take away.
      result = result === undefined ? own : new Set([...result].filter((f) => own.has(f)));
    }
    cached = result ?? new Set();
    if (fieldCache.size > 1000) fieldCache.clear();
    fieldCache.set(key, cached);
    return cached;
  }

  return {
    decide(actor, action, collection, record): Decision {
      const scope = broadest(actor, action, collection);
      if (scope === undefined) return { allowed: false, reason: `no role of this actor grants ${action} on ${collection}` };
      if (record === undefined || inScope(actor, scope, collection, record)) return { allowed: true };
      return { allowed: false, reason: `the record is outside this actor's ${scope} scope` };
    },
    scope(actor, action, collection) {
      const scope = broadest(actor, action, collection);
      return scope === undefined ? false : scopeFilter(actor, scope, collection);
    },
    hiddenFields: (actor, collection) => fieldRule(actor, collection, 'hiddenFields'),
    readOnlyFields: (actor, collection) => fieldRule(actor, collection, 'readOnlyFields'),
  };
}
