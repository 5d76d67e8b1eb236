/**
 * Roles: what each grants, per collection, with a scope, and which fields it cannot read or
 * write. The built-in roles are the table in the docs, written out here literally.
 *
 * @module
 */
import { ACTIONS } from './policy';
import type { Action } from './policy';

/**
 * How far a grant reaches: `own` (the actor owns the record or is its assignee), `team`
 * (the record's team is one of the actor's, or the actor owns it), `all`. Scopes are named
 * so that later ones (a portal customer's `self`, a partner's) are one more entry.
 */
export type ScopeName = 'own' | 'team' | 'all';

/** The scopes, narrowest first. */
export const SCOPES: readonly ScopeName[] = ['own', 'team', 'all'];

/** Actions granted on one collection, each with its scope. */
export type Grants = Partial<Record<Action, ScopeName>>;

/**
 * A role.
 *
 * @example
 * ```ts
 * const support: RoleDefinition = {
 *   grants: { '*': { read: 'all' }, customers: { read: 'all', update: 'team' } },
 *   hiddenFields: { customers: ['custom.creditLimit'] },
 *   readOnlyFields: { customers: ['tier'] },
 * };
 * ```
 */
export interface RoleDefinition {
  /** Grants per collection; `'*'` applies to every entity collection; `audit` governs reading the audit trail. */
  grants: Record<string, Grants>;
  /** Fields this role cannot read, per collection (top-level names or `custom.x`). */
  hiddenFields?: Record<string, string[]>;
  /** Fields this role cannot write, per collection. */
  readOnlyFields?: Record<string, string[]>;
  /** Whether it may read fields marked sensitive. @defaultValue true */
  readsSensitive?: boolean;
}

/**
 * The role the CRM's own jobs act under (SLA breaches, first responses, automations): every
 * grant, whatever the host app does to `admin`. Reserved: no custom role may take the name,
 * and no actor handed to `createCrm`, `crm.as` or a server's `authenticate` may carry it.
 *
 * @example
 * ```ts
 * ENGINE_ROLE; // 'rapport-engine'
 * ```
 */
export const ENGINE_ROLE = 'rapport-engine';

/** The names of the built-in roles. */
export type BuiltInRole = 'viewer' | 'contributor' | 'editor' | 'manager' | 'admin';

/**
 * The built-in roles:
 *
 * | role | read | create | update | delete / archive | export, import, assign, merge | audit |
 * |---|---|---|---|---|---|---|
 * | viewer | all | – | – | – | – | – |
 * | contributor | all | yes (owned by self) | own | – | – | – |
 * | editor | all | yes | all | – | – | – |
 * | manager | team | yes | team | team | team | team |
 * | admin | all | yes | all | all | all | all |
 *
 * `viewer` and `contributor` cannot read sensitive fields.
 */
export const BUILT_IN_ROLES: Readonly<Record<BuiltInRole, RoleDefinition>> = {
  viewer: { grants: { '*': { read: 'all' } }, readsSensitive: false },
  contributor: { grants: { '*': { read: 'all', create: 'own', update: 'own' } }, readsSensitive: false },
  editor: { grants: { '*': { read: 'all', create: 'all', update: 'all' } } },
  manager: {
    grants: {
      '*': { read: 'team', create: 'all', update: 'team', delete: 'team', archive: 'team', export: 'team', import: 'team', assign: 'team', merge: 'team' },
      audit: { read: 'team' },
    },
  },
  admin: {
    grants: {
      '*': { read: 'all', create: 'all', update: 'all', delete: 'all', archive: 'all', export: 'all', import: 'all', assign: 'all', merge: 'all' },
      audit: { read: 'all' },
    },
  },
};

/** Problems with role definitions (unknown collection, action or scope), as sentences. */
export function roleProblems(roles: Record<string, RoleDefinition>, collections: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set([...collections, '*', 'audit']);
  for (const [name, role] of Object.entries(roles)) {
    if (name === ENGINE_ROLE) {
      problems.push(`roles.${name}: "${ENGINE_ROLE}" is reserved for the CRM's own jobs`);
      continue;
    }
    if (typeof role !== 'object' || role === null || typeof role.grants !== 'object' || role.grants === null) {
      problems.push(`roles.${name}: a role needs a grants object`);
      continue;
    }
    for (const [collection, grants] of Object.entries(role.grants)) {
      if (!known.has(collection)) problems.push(`roles.${name}.grants.${collection}: unknown collection "${collection}"`);
      for (const [action, scope] of Object.entries(grants ?? {})) {
        if (!ACTIONS.includes(action as Action)) problems.push(`roles.${name}.grants.${collection}.${action}: unknown action "${action}"`);
        if (!SCOPES.includes(scope as ScopeName)) problems.push(`roles.${name}.grants.${collection}.${action}: unknown scope "${String(scope)}"`);
      }
    }
    for (const key of ['hiddenFields', 'readOnlyFields'] as const) {
      for (const collection of Object.keys(role[key] ?? {})) {
        if (!known.has(collection)) problems.push(`roles.${name}.${key}.${collection}: unknown collection "${collection}"`);
      }
    }
  }
  return problems;
}
