/**
 * The facade: `createCrm()` wires storage, engine, entities and events, and hands out views
 * (`crm.as(actor)`) and atomic batches.
 *
 * @module
 */
import { memoryAdapter } from '../adapters/memory/index';
import { APIS, JOBS, MODULES, REPORTS } from './api/registry';
import type { CustomersApi } from './api/customers';
import type { InteractionsApi } from './api/interactions';
import type { TicketsApi } from './api/tickets';
import type { Ticket } from './entities/tickets';
import type { ServiceReports } from './reports/service/index';
import type { TicketEvents } from './service/events';
import type { DealsApi } from './api/deals';
import type { PipelinesApi } from './api/pipelines';
import type { SalesReports } from './reports/sales/index';
import type { CampaignsApi } from './api/campaigns';
import type { SegmentsApi } from './api/segments';
import type { RemindersApi } from './api/reminders';
import type { AutomationsApi } from './api/automations';
import type { MarketingReports } from './reports/marketing/index';
import type { MarketingEvents } from './marketing/events';
import { makeAudit } from './api/audit';
import type { AuditApi } from './api/audit';
import { makeSearch } from './api/lazy';
import type { SearchApi } from './api/search';
import type { CrmEvents } from './crm-events';
import type { Customer } from './entities/customers';
import type { Interaction } from './entities/interactions';
import { CrmError, ValidationError, isConflictError } from './errors';
import { createEventBus } from './events';
import { customFieldProblems } from './engine/custom-fields';
import type { CustomFieldsConfig, CustomOf } from './engine/custom-fields';
import { createEngine } from './engine/engine';
import type { Engine } from './engine/engine';
import type { OpContext } from './engine/guard';
import { ulidFactory } from './engine/ids';
import { publicView } from './engine/record';
import { batchSession, directSession } from './engine/session';
import type { Session } from './engine/session';
import type { Actor, Clock } from './engine/types';
import { startWorkers } from './engine/workers';
import type { Job, WorkerOptions, Workers } from './engine/workers';
import type { Action } from './permissions/policy';
import { rolePolicy } from './permissions/role-policy';
import { optionIssues } from './internal/issues';
import { BUILT_IN_ROLES, ENGINE_ROLE, roleProblems } from './permissions/roles';
import type { RoleDefinition } from './permissions/roles';
import { INTERNALS } from './internal/internals';
import type { ViewInternals } from './internal/internals';
import type { WriteOp } from './storage/adapter';
import type { IndexSpec, StorageAdapter } from './storage/adapter';

/**
 * Options of {@link createCrm}.
 * @typeParam C - custom field definitions, inferred so records are typed.
 */
export interface CrmOptions<C extends CustomFieldsConfig = CustomFieldsConfig> {
  /**
   * Where records live: a storage adapter (local mode), or a remote connector such as
   * `httpAdapter()` (remote mode: a server is the authority and every call is forwarded).
   * @defaultValue `memoryAdapter()`
   */
  storage?: StorageAdapter | RemoteConnector;
  /** Who acts through the root view. @defaultValue `{ id: 'system', roles: ['admin'] }` */
  actor?: Actor;
  /** Milliseconds since the epoch; inject a fake clock in tests. @defaultValue `Date.now` */
  clock?: Clock;
  /** Makes record ids. @defaultValue a monotonic ULID generator on `clock` */
  ids?: () => string;
  /** IANA time zone for report periods, business hours and yearly dates. @defaultValue `'UTC'` */
  timeZone?: string;
  /**
   * Custom fields per collection.
   * @example
   * ```ts
   * { customers: { loyaltyPoints: { type: 'number', min: 0 } } }
   * ```
   */
  customFields?: C;
  /**
   * Roles beside (or overriding) the built-in `viewer`, `contributor`, `editor`, `manager`
   * and `admin`. Validated at start: an unknown collection, action or scope is a `ValidationError`.
   * @example
   * ```ts
   * { support: { grants: { '*': { read: 'all' }, interactions: { create: 'all', update: 'own' } } } }
   * ```
   */
  roles?: Record<string, RoleDefinition>;
  /**
   * Built-in fields that `viewer` and `contributor` (and any role with `readsSensitive: false`)
   * cannot read, per collection. Custom fields say `sensitive: true` in their definition.
   * @example
   * ```ts
   * { customers: ['phones', 'notes'] }
   * ```
   */
  sensitiveFields?: Record<string, string[]>;
  /**
   * Indexes of your own, per collection, beside the ones rapport keeps (`createdAt`,
   * `ownerId`, the entity's own fields…): chiefly compound indexes, so "an equality, then
   * ordered by another field" is one walk of one index — a page of 50 reads 51 records
   * however many match. `fields` are 1 to 4 paths (`tier`, `custom.region`); `unique: true`
   * makes a taken value a `ConstraintError`; `multiEntry: true` indexes each element of an
   * array field (alone). Validated at start; persistent storages build a new index on open.
   * In remote mode the server's indexes apply.
   * @example
   * ```ts
   * { customers: [{ name: 'tier_createdAt', fields: ['tier', 'createdAt'] }] }
   * ```
   */
  indexes?: Readonly<Record<string, readonly IndexSpec[]>>;
  /** Auditing options. */
  audit?: {
    /** Record a `view` entry for every record read by id. @defaultValue false */
    reads?: boolean;
  };
  /** The application's schema version, for persistent storages' upgrades. @defaultValue 1 */
  schemaVersion?: number;
}

/**
 * A CRM: the collections and the verbs over them, as one actor.
 * @typeParam C - custom field definitions.
 */
export interface Crm<C extends CustomFieldsConfig = CustomFieldsConfig> {
  /** Who acts through this view. */
  readonly actor: Actor;
  /** The CRM's time zone. */
  readonly timeZone: string;
  /** Customers: people and organizations. */
  readonly customers: CustomersApi<CustomOf<C, 'customers'>>;
  /** The timeline: calls, emails, meetings, notes, tasks. */
  readonly interactions: InteractionsApi<CustomOf<C, 'interactions'>>;
  /** Service tickets and complaints, with SLAs; see `docs/service.md`. */
  readonly tickets: TicketsApi<CustomOf<C, 'tickets'>>;
  /** Sales pipelines and their ordered stages. */
  readonly pipelines: PipelinesApi<CustomOf<C, 'pipelines'>>;
  /** Deals moving through pipelines: `moveToStage`, `win`, `lose`, `reopen`. */
  readonly deals: DealsApi<CustomOf<C, 'deals'>>;
  /** Marketing campaigns, with cost and status; see `docs/marketing.md`. */
  readonly campaigns: CampaignsApi<CustomOf<C, 'campaigns'>>;
  /** Named, saved queries whose members are evaluated on demand, as the caller. */
  readonly segments: SegmentsApi;
  /** What comes due: planned interactions, tickets near an SLA target, yearly dates; see `docs/reminders.md`. */
  readonly reminders: RemindersApi;
  /** Automation rules run by the authority after the triggering write; see `docs/automation.md`. */
  readonly automations: AutomationsApi;
  /** The audit trail (read-only). */
  readonly audit: AuditApi;
  /** Reports: plain tables (rows + totals) a host app can chart; see the guides. */
  readonly reports: Reports;
  /**
   * Search every searchable collection at once, ranked (exact words before prefixes, names
   * before notes), within what the actor may read.
   * @example
   * ```ts
   * const { hits } = await crm.search('yılmaz', { limit: 10 });
   * ```
   */
  readonly search: SearchApi;
  /**
   * Whether this view's actor may do `action` on `collection` (on `record`, when given), so a
   * host UI can hide what the user may not do.
   * @example
   * ```ts
   * if (crm.can('update', 'customers', customer)) showEditButton();
   * ```
   */
  can(action: Action, collection: string, record?: object): boolean;
  /**
   * The fields of `collection` this view's actor may read (top-level names and `custom.x`).
   * @example
   * ```ts
   * const fields = crm.readableFields('customers'); // e.g. without 'notes' for a viewer
   * ```
   */
  readableFields(collection: string): string[];
  /**
   * A view acting as someone else over the same storage and events.
   * @example
   * ```ts
   * const asAlice = crm.as({ id: 'u-alice', roles: ['editor'] });
   * ```
   */
  as(actor: Actor): Crm<C>;
  /**
   * Listen to an event (after the write is stored); returns the unsubscribe function. A
   * handler that throws breaks neither the write nor other handlers; its error goes to `error`.
   * @example
   * ```ts
   * const off = crm.on('customer.created', (e) => console.log(e.record.name));
   * ```
   */
  on<K extends keyof CrmEventMap<C>>(name: K, handler: (event: CrmEventMap<C>[K]) => void): () => void;
  /** Listen to every event. */
  on(name: '*', handler: (event: CrmEventMap<C>[keyof CrmEventMap<C>]) => void): () => void;
  /**
   * Write across collections atomically: calls on `tx` are buffered (reads inside see the
   * batch's own pending writes) and committed as one write at the end; if `fn` throws,
   * nothing is stored. When records changed underneath, `fn` runs again (up to 3 times)
   * unless a call in it gave an explicit `expectedVersion`.
   * @example
   * ```ts
   * await crm.batch(async (tx) => {
   *   const acme = await tx.customers.create({ name: 'Acme', kind: 'organization' });
   *   await tx.customers.create({ name: 'Ada', organizationId: acme.id });
   * });
   * ```
   */
  batch<T>(fn: (tx: CrmTransaction<C>) => Promise<T>): Promise<T>;
  /**
   * Start the background workers. Only the authority (the Crm holding the storage's lease)
   * runs jobs; another Crm on the same storage takes over when the lease expires.
   * @example
   * ```ts
   * const workers = crm.startWorkers({ intervalMs: 5000 });
   * ```
   */
  startWorkers(options?: WorkerOptions): Workers;
  /**
   * Stop workers and close the storage.
   * @example
   * ```ts
   * await crm.close();
   * ```
   */
  close(): Promise<void>;
}

/** The collections inside a batch. */
export type CrmTransaction<C extends CustomFieldsConfig = CustomFieldsConfig> = Omit<
  Crm<C>,
  'as' | 'on' | 'batch' | 'startWorkers' | 'close' | 'audit' | 'reports' | 'search' | 'can' | 'readableFields' | 'timeZone'
>;

/** `crm.reports`: every report, by name. Each runs on the engine as the view's actor. */
// Reports are added by the sales, service and marketing modules; each declares its own signature here.
export interface Reports extends SalesReports, ServiceReports, MarketingReports {}

/** The event map with this CRM's record types. */
export type CrmEventMap<C extends CustomFieldsConfig> = CrmEvents<Customer<CustomOf<C, 'customers'>>, Interaction<CustomOf<C, 'interactions'>>> & TicketEvents<Ticket<CustomOf<C, 'tickets'>>> & MarketingEvents;

/**
 * What puts a Crm in remote mode: instead of opening a storage, `createCrm` hands its
 * options to `connect`, which returns a Crm whose every call the server answers.
 */
export interface RemoteConnector {
  /** Marks a remote connector. */
  readonly kind: 'remote';
  /** Connect and return the remote Crm. */
  connect<C extends CustomFieldsConfig>(options: CrmOptions<C>): Promise<Crm<C>>;
}

function isRemote(storage: StorageAdapter | RemoteConnector | undefined): storage is RemoteConnector {
  return typeof storage === 'object' && storage !== null && (storage as { kind?: unknown }).kind === 'remote';
}

/** The default actor: the host app itself. */
export const SYSTEM_ACTOR: Actor = { id: 'system', roles: ['admin'] };

interface Shared {
  engine: Engine;
  roleNames: ReadonlySet<string>;
  jobs: Job[];
  workers: Workers | undefined;
  /** Direct-session views by actor, so `crm.as(actor)` per request (a server's) costs a lookup. */
  views: Map<string, Crm<never>>;
}

const VIEW_CACHE_SIZE = 256;

function collections<C extends CustomFieldsConfig>(ctx: OpContext): Pick<Crm<C>, 'customers' | 'interactions' | 'tickets' | 'pipelines' | 'deals' | 'campaigns' | 'segments' | 'reminders' | 'automations' | 'reports'> {
  const out: Record<string, unknown> = {};
  for (const [name, make] of Object.entries(APIS)) out[name] = make(ctx);
  const reports: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(REPORTS)) reports[name] = (...args: never[]) => run(ctx, ...args);
  out['reports'] = reports;
  return out as Pick<Crm<C>, 'customers' | 'interactions' | 'tickets' | 'pipelines' | 'deals' | 'campaigns' | 'segments' | 'reminders' | 'automations' | 'reports'>;
}

function makeView<C extends CustomFieldsConfig>(shared: Shared, actor: Actor, session: Session): Crm<C> {
  const { engine } = shared;
  const ctx: OpContext = { engine, actor, session };
  const view: Crm<C> = {
    actor,
    timeZone: engine.timeZone,
    ...collections<C>(ctx),
    audit: makeAudit(ctx),
    search: makeSearch(ctx),
    as(other) {
      const next = validateActor(other, shared.roleNames);
      if (session.buffered) return makeView<C>(shared, next, session);
      const key = JSON.stringify([next.id, next.roles, next.teamIds ?? []]);
      let cached = shared.views.get(key) as Crm<C> | undefined;
      if (cached) {
        // Refresh its place: the cache drops the least recently used view when full.
        shared.views.delete(key);
      } else {
        cached = makeView<C>(shared, next, session);
        if (shared.views.size >= VIEW_CACHE_SIZE) shared.views.delete(shared.views.keys().next().value as string);
      }
      shared.views.set(key, cached as Crm<never>);
      return cached;
    },
    can(action, collection, record) {
      return engine.policy.decide(actor, action, collection, record as Record<string, unknown> | undefined).allowed;
    },
    readableFields(collection) {
      const entity = engine.entity(collection);
      const hidden = engine.policy.hiddenFields(actor, collection);
      const fields = ['id', 'version', 'createdAt', 'updatedAt', 'ownerId', 'teamId', 'archivedAt', 'externalId', ...Object.keys(entity.shape), ...Object.keys(entity.customFields).map((f) => `custom.${f}`)];
      return fields.filter((f) => !hidden.has(f) && !(f.startsWith('custom.') && hidden.has('custom')));
    },
    on(name: string, handler: (event: never) => void) {
      return engine.events.on(name, (payload: unknown) => {
        // Denials reach the denied actor and those who may read the audit trail, nobody else.
        if ((payload as { type?: string }).type === 'access.denied' && (payload as { actorId?: string }).actorId !== actor.id && engine.policy.scope(actor, 'read', 'audit') === false) return;
        const record = (payload as { record?: Record<string, unknown>; type?: string }).record;
        const collection = (payload as { type?: string }).type?.split('.')[0];
        const entity = [...engine.entities.values()].find((e) => e.singular === collection);
        if (record && entity) {
          if (!engine.policy.decide(actor, 'read', entity.collection, record).allowed) return;
          const hidden = engine.policy.hiddenFields(actor, entity.collection);
          if (hidden.size) {
            const masked: Record<string, unknown> = { ...(payload as object), record: publicView(structuredClone(record) as never, hidden) };
            const changes = (payload as { changes?: Record<string, unknown> }).changes;
            if (changes) masked['changes'] = Object.fromEntries(Object.entries(changes).filter(([f]) => !hidden.has(f) && !hidden.has(f.split('.')[0] as string)));
            (handler as (e: unknown) => void)(masked);
            return;
          }
        }
        (handler as (e: unknown) => void)(payload);
      });
    },
    batch<T>(fn: (tx: CrmTransaction<C>) => Promise<T>): Promise<T> {
      return runBatch(shared, actor, fn, () => []);
    },
    startWorkers(options) {
      if (shared.workers) return shared.workers;
      shared.workers = startWorkers(engine, shared.jobs, options);
      return shared.workers;
    },
    async close() {
      if (engine.closed) return;
      await shared.workers?.stop();
      engine.closed = true;
      await engine.storage.close();
    },
  } as Crm<C>;
  const internals: ViewInternals = {
    engine,
    actor,
    batchWith: (fn, extra, around) => runBatch(shared, actor, fn as (tx: CrmTransaction<C>) => Promise<never>, extra as (r: never) => WriteOp[], around),
  };
  Object.defineProperty(view, INTERNALS, { value: internals, enumerable: false });
  return view;
}

async function runBatch<C extends CustomFieldsConfig, T>(
  shared: Shared,
  actor: Actor,
  fn: (tx: CrmTransaction<C>) => Promise<T>,
  extra: (result: T) => WriteOp[],
  around: (runEffects: () => void) => void = (runEffects) => runEffects(),
): Promise<T> {
  const { engine } = shared;
  for (let attempt = 0; ; attempt++) {
    const batch = batchSession(engine.storage);
    const txCtx: OpContext = { engine, actor, session: batch };
    const tx: CrmTransaction<C> = { actor, ...collections<C>(txCtx) };
    const result = await fn(tx);
    const ops = [...batch.operations(), ...extra(result)];
    try {
      if (ops.length) await engine.storage.write(ops);
    } catch (error) {
      if (isConflictError(error) && !batch.explicitVersions && attempt < 2) continue;
      throw error;
    }
    around(() => {
      for (const effect of batch.effects()) effect();
    });
    return result;
  }
}

function validateActor(actor: Actor, roleNames: ReadonlySet<string>): Actor {
  const ok =
    typeof actor === 'object' &&
    actor !== null &&
    typeof actor.id === 'string' &&
    actor.id.length > 0 &&
    Array.isArray(actor.roles) &&
    actor.roles.every((r) => typeof r === 'string') &&
    (actor.teamIds === undefined || (Array.isArray(actor.teamIds) && actor.teamIds.every((t) => typeof t === 'string')));
  if (!ok) throw new ValidationError([{ path: ['actor'], message: 'an actor is { id: string, roles: string[], teamIds?: string[] }', code: 'invalid_type' }]);
  const unknown = actor.roles.findIndex((r) => !roleNames.has(r));
  if (unknown >= 0) throw new ValidationError([{ path: ['actor', 'roles', unknown], message: `unknown role "${actor.roles[unknown]}"`, code: 'invalid_value' }]);
  return { id: actor.id, roles: [...actor.roles], ...(actor.teamIds ? { teamIds: [...actor.teamIds] } : {}) };
}

/**
 * Create a CRM. Opening storage is async, so `createCrm` is too.
 *
 * @example
 * ```ts
 * import { createCrm } from 'rapport';
 * const crm = await createCrm({ customFields: { customers: { loyaltyPoints: { type: 'number', min: 0 } } } });
 * const ada = await crm.customers.create({ name: 'Ada Lovelace', emails: [{ address: 'ada@example.com' }] });
 * ```
 * @throws `ValidationError` for invalid options (custom fields, roles, indexes, actor, time zone).
 */
export async function createCrm<const C extends CustomFieldsConfig = Record<never, never>>(options: CrmOptions<C> = {}): Promise<Crm<C>> {
  if (isRemote(options.storage)) return options.storage.connect(options);
  const clock = options.clock ?? (() => Date.now());
  const timeZone = options.timeZone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch (cause) {
    throw new ValidationError([{ path: ['timeZone'], message: `unknown time zone "${timeZone}"`, code: 'invalid_value' }], { cause });
  }
  const customFields = (options.customFields ?? {}) as CustomFieldsConfig;
  const modules = MODULES;
  const problems: string[] = [];
  for (const [collection, defs] of Object.entries(customFields)) {
    if (!modules.some((m) => m.collection === collection)) problems.push(`customFields.${collection}: unknown collection`);
    else problems.push(...customFieldProblems(collection, defs));
  }
  const roles: Record<string, RoleDefinition> = { ...BUILT_IN_ROLES, ...(options.roles ?? {}) };
  problems.push(...roleProblems(options.roles ?? {}, modules.map((m) => m.collection)));
  if (problems.length) {
    throw new ValidationError(optionIssues(problems));
  }
  // Actors may carry the host's roles only; the engine's role exists for the policy alone.
  const roleNames = new Set(Object.keys(roles));
  const actor = validateActor(options.actor ?? SYSTEM_ACTOR, roleNames);
  const sensitiveFields: Record<string, string[]> = {};
  for (const m of modules) {
    sensitiveFields[m.collection] = [
      ...(options.sensitiveFields?.[m.collection] ?? []),
      ...Object.entries(customFields[m.collection] ?? {}).flatMap(([name, def]) => (def.sensitive ? [`custom.${name}`] : [])),
    ];
  }
  const policy = rolePolicy({
    roles: { ...roles, [ENGINE_ROLE]: BUILT_IN_ROLES.admin },
    // Audit entries keep the record's assignee, so `own` reaches the entries of one's assigned records.
    assigneeFields: { ...Object.fromEntries(modules.map((m) => [m.collection, m.assigneeField])), audit: 'assigneeId' },
    sensitiveFields,
  });
  const storage: StorageAdapter = options.storage ?? memoryAdapter();
  let engine: Engine;
  try {
    engine = await createEngine({
      storage,
      clock,
      nextId: options.ids ?? ulidFactory(clock),
      timeZone,
      policy,
      events: createEventBus<Record<string, unknown>>(),
      modules,
      customFields,
      indexes: options.indexes,
      auditReads: options.audit?.reads ?? false,
      schemaVersion: options.schemaVersion ?? 1,
    });
  } catch (error) {
    if (error instanceof CrmError) throw error;
    throw new CrmError('could not open the storage', 'storage_failed', { cause: error });
  }
  const shared: Shared = { engine, roleNames, jobs: JOBS.map((make) => make(engine)), workers: undefined, views: new Map() };
  return makeView<C>(shared, actor, directSession(storage));
}
