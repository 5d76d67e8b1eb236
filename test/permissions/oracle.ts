/**
 * The permission oracle: the role table written out literally, parsed, and the rules of who
 * may do what to which record. It imports nothing from src/, so the tests never check the
 * engine against itself.
 *
 * @module
 */
/** Who acts, as the oracle sees it (the same shape as the public `Actor`). */
export interface Actor {
  id: string;
  roles: string[];
  teamIds?: string[] | undefined;
}

/** The built-in roles, exactly as ARCHITECTURE.md and the docs write them. */
export const ROLE_TABLE = `
| role | read | create | update | delete / archive | export, import, assign, merge | audit |
|---|---|---|---|---|---|---|
| viewer | all | – | – | – | – | – |
| contributor | all | yes (owned by self) | own | – | – | – |
| editor | all | yes | all | – | – | – |
| manager | team | yes | team | team | team | team |
| admin | all | yes | all | all | all | all |
`;

/** How far a grant reaches. */
export type Scope = 'own' | 'team' | 'all';

/** Every action a role can grant, plus reading the audit trail. */
export type OracleAction = 'read' | 'create' | 'update' | 'delete' | 'archive' | 'export' | 'import' | 'assign' | 'merge' | 'audit';

/** What one role grants on one collection. */
export type OracleGrants = Partial<Record<OracleAction, Scope>>;

/** A role as the oracle sees it: grants per collection, and whether it reads sensitive fields. */
export interface OracleRole {
  grants: Record<string, OracleGrants>;
  readsSensitive: boolean;
}

function cellScope(cell: string): Scope | undefined {
  const c = cell.trim();
  if (c === '–' || c === '-' || c === '') return undefined;
  if (c === 'yes') return 'all';
  if (c === 'yes (owned by self)') return 'own';
  if (c === 'own' || c === 'team' || c === 'all') return c;
  throw new Error(`unreadable cell in the role table: "${cell}"`);
}

/** The role table, parsed: every built-in role's grants on `customers` and `interactions`. */
export function parseRoleTable(table: string): Record<string, OracleRole> {
  const rows = table.trim().split('\n').slice(2);
  const out: Record<string, OracleRole> = {};
  for (const row of rows) {
    const [name, read, create, update, delArch, other, audit] = row.split('|').slice(1, -1).map((c) => c.trim()) as string[];
    const g: OracleGrants = {};
    const put = (actions: OracleAction[], cell: string | undefined) => {
      const s = cellScope(cell ?? '');
      if (s) for (const a of actions) g[a] = s;
    };
    put(['read'], read);
    put(['create'], create);
    put(['update'], update);
    put(['delete', 'archive'], delArch);
    put(['export', 'import', 'assign', 'merge'], other);
    put(['audit'], audit);
    out[name as string] = {
      grants: { customers: g, interactions: g },
      // ARCHITECTURE.md: "viewer and contributor cannot read sensitive fields".
      readsSensitive: name !== 'viewer' && name !== 'contributor',
    };
  }
  return out;
}

/** The built-in roles, from the literal table. */
export const BUILT_INS: Record<string, OracleRole> = parseRoleTable(ROLE_TABLE);

/** The collections with an assignee field (which counts as `own`). */
export const ASSIGNEE: Record<string, string | undefined> = { customers: undefined, interactions: 'assigneeId' };

/** A record as far as scopes care. */
export interface Scoped {
  ownerId?: unknown;
  teamId?: unknown;
  assigneeId?: unknown;
}

/** Whether `scope` reaches `record` for `actor` in `collection`. */
export function reaches(scope: Scope | undefined, actor: Actor, collection: string, record: Scoped): boolean {
  if (scope === undefined) return false;
  if (scope === 'all') return true;
  const assignee = ASSIGNEE[collection];
  const own = record.ownerId === actor.id || (assignee !== undefined && (record as Record<string, unknown>)[assignee] === actor.id);
  if (own) return true;
  return scope === 'team' && typeof record.teamId === 'string' && (actor.teamIds ?? []).includes(record.teamId);
}

/** Whether any role of the actor grants `action` on `record`. */
export function allows(roles: Record<string, OracleRole>, actor: Actor, action: OracleAction, collection: string, record?: Scoped): boolean {
  return actor.roles.some((r) => {
    const scope = roles[r]?.grants[collection]?.[action];
    return record === undefined ? scope !== undefined : reaches(scope, actor, collection, record);
  });
}

/** Whether the actor may NOT read sensitive fields: every one of its roles lacks the right. */
export function hidesSensitive(roles: Record<string, OracleRole>, actor: Actor): boolean {
  return actor.roles.length > 0 && actor.roles.every((r) => roles[r]?.readsSensitive === false);
}
