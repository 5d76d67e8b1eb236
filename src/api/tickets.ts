/**
 * `crm.tickets`: service cases and complaints. The generic verbs, plus opening with SLA
 * targets, assigning, the status verbs of the state machine, notes for the customer or the
 * team, a satisfaction score, the ticket's history, what is about to breach, and the SLA
 * policies.
 *
 * @module
 */
import { ConflictError, TransitionError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { requiredText } from '../entities/common';
import { TICKET_PRIORITIES, VERB_FIELDS, UNRESOLVED_STATUSES } from '../entities/tickets';
import type { NoteVisibility, Ticket, TicketNote, TicketPriority, TicketStatus } from '../entities/tickets';
import { auditOps } from '../engine/audit';
import { authorize, deny, throwIfAborted } from '../engine/guard';
import type { CallOptions, WriteOptions } from '../engine/types';
import { planCreate, planUpdate, readForWrite, toPublic, updateWithRetry, visible } from '../engine/write';
import type { DomainEvent, Planned } from '../engine/write';
import type { Changes } from '../engine/record';
import type { StoredRecord, WriteOp } from '../storage/adapter';
import { dueDates, fromRecord, loadPolicy, parseSlaPolicy, policyId, slaState } from '../service/policy';
import type { SlaPolicy, SlaPolicyInput, SlaState } from '../service/policy';
import { isReopen, transitionPatch } from '../service/transitions';
import { ticketAtRisk, ticketHistory } from '../service/history';
import type { AtRiskOptions, AtRiskTicket, HistoryOptions, TicketHistoryEntry } from '../service/history';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository, UpdateItem } from './types';

/**
 * What `crm.tickets.open` (and `create`) takes.
 * @example
 * ```ts
 * const input: TicketInput = { subject: 'Broken', customerId, priority: 'high', channel: 'phone' };
 * ```
 */
export type TicketInput<Custom = Record<string, unknown>> = EntityInput<
  Omit<Ticket<Custom>, 'status' | 'firstResponseDueAt' | 'resolutionDueAt' | 'firstRespondedAt' | 'resolvedAt' | 'closedAt' | 'firstResponseBreachedAt' | 'resolutionBreachedAt' | 'reopenCount' | 'satisfaction' | 'customerNotes' | 'internalNotes' | 'statusHistory' | 'assignmentHistory' | 'sla' | 'pendingSince'>,
  'subject' | 'customerId'
>;

/**
 * Options of the status verbs.
 * @example
 * ```ts
 * await crm.tickets.resolve(id, { resolution: 'Replaced the part', expectedVersion: 3 });
 * ```
 */
export interface StatusOptions extends WriteOptions {
  /** How it was resolved (`resolve`, or `setStatus(…, 'resolved')`). */
  resolution?: string | undefined;
}

/**
 * What `addNote` takes.
 * @example
 * ```ts
 * const note: NoteInput = { body: 'We shipped a replacement.', visibility: 'customer' };
 * ```
 */
export interface NoteInput {
  /** The note's text. */
  body: string;
  /** `customer`: part of what the customer is told; `internal`: only the team. @defaultValue `'internal'` */
  visibility?: NoteVisibility | undefined;
}

/**
 * What `rate` takes.
 * @example
 * ```ts
 * const rating: RatingInput = { score: 4, comment: 'Took a while, but fixed' };
 * ```
 */
export interface RatingInput {
  /** 1 (very unhappy) to 5 (very happy). */
  score: number;
  /** What the customer said. */
  comment?: string | undefined;
}

/**
 * `crm.tickets`.
 * @typeParam Custom - the tickets' custom fields.
 * @example
 * ```ts
 * const tickets: TicketsApi = crm.tickets;
 * ```
 */
export interface TicketsApi<Custom = Record<string, unknown>> extends Repository<Ticket<Custom>, TicketInput<Custom>> {
  /**
   * Open a ticket (status `new`): SLA due dates come from the policy of its priority; emits
   * `ticket.opened` (and `ticket.assigned` when an assignee is given). `create` does the same.
   * @throws `ValidationError` (also for fields only the verbs set, such as `status`),
   * `ConstraintError` for a missing customer, `PermissionError` (assigning someone else needs `assign`).
   * @example
   * ```ts
   * const t = await crm.tickets.open({ subject: 'Invoice wrong', customerId, priority: 'high', channel: 'email', category: 'billing' });
   * ```
   */
  open(input: TicketInput<Custom>, options?: CallOptions): Promise<Ticket<Custom>>;
  /**
   * Assign a ticket (`null`: unassign); emits `ticket.assigned` with `from` and `to`. Taking a
   * ticket oneself needs `update`; assigning someone else (or unassigning them) needs `assign`.
   * @example
   * ```ts
   * await crm.tickets.assign(ticket.id, 'u-ayse');
   * ```
   */
  assign(id: string, assigneeId: string | null, options?: WriteOptions): Promise<Ticket<Custom>>;
  /**
   * Move a ticket to a status through the state machine; emits `ticket.statusChanged` with
   * `from` and `to` (and `reopened: true` for a reopen).
   * @throws `TransitionError` (with `from` and `to`) when the state machine forbids it.
   * @example
   * ```ts
   * await crm.tickets.setStatus(ticket.id, 'pending');
   * ```
   */
  setStatus(id: string, status: TicketStatus, options?: StatusOptions): Promise<Ticket<Custom>>;
  /**
   * Start work: `new` or `pending` → `open`.
   * @example
   * ```ts
   * await crm.tickets.start(ticket.id);
   * ```
   */
  start(id: string, options?: WriteOptions): Promise<Ticket<Custom>>;
  /**
   * Wait on the customer: → `pending` (the SLA clocks stop if the policy says `pauseWhilePending`).
   * @example
   * ```ts
   * await crm.tickets.pend(ticket.id);
   * ```
   */
  pend(id: string, options?: WriteOptions): Promise<Ticket<Custom>>;
  /**
   * Resolve: → `resolved`, sets `resolvedAt`.
   * @example
   * ```ts
   * await crm.tickets.resolve(ticket.id, { resolution: 'Credit note sent' });
   * ```
   */
  resolve(id: string, options?: StatusOptions): Promise<Ticket<Custom>>;
  /**
   * Close: `resolved` → `closed`.
   * @example
   * ```ts
   * await crm.tickets.close(ticket.id);
   * ```
   */
  close(id: string, options?: WriteOptions): Promise<Ticket<Custom>>;
  /**
   * Reopen: `resolved` or `closed` → `open`; counts in `reopenCount`; the resolution clock
   * resumes with the business time it had left.
   * @throws `TransitionError` from any other status.
   * @example
   * ```ts
   * await crm.tickets.reopen(ticket.id);
   * ```
   */
  reopen(id: string, options?: WriteOptions): Promise<Ticket<Custom>>;
  /**
   * Add a note: `customer` notes are what the customer is told, `internal` ones stay with the
   * team; emits `ticket.noteAdded` (with the note's id and visibility, never its text).
   * @example
   * ```ts
   * await crm.tickets.addNote(ticket.id, { body: 'We are on it, expect news tomorrow.', visibility: 'customer' });
   * ```
   */
  addNote(id: string, note: NoteInput, options?: WriteOptions): Promise<Ticket<Custom>>;
  /**
   * Record the customer's satisfaction (1..5), only once the ticket is `resolved` or
   * `closed`; emits `ticket.rated`. A reopen clears it.
   * @throws `ValidationError` for a score outside 1..5 (path `score`) or an unresolved ticket (path `status`, code `invalid_state`).
   * @example
   * ```ts
   * await crm.tickets.rate(ticket.id, { score: 5, comment: 'Quick and kind' });
   * ```
   */
  rate(id: string, rating: RatingInput, options?: WriteOptions): Promise<Ticket<Custom>>;
  /**
   * Everything that happened on a ticket, newest first: its interactions, status changes,
   * assignments and notes (`{ visibility: 'customer' }`: only what the customer is told).
   * @throws `NotFoundError` when the ticket does not exist or cannot be read.
   * @example
   * ```ts
   * for (const e of await crm.tickets.history(ticket.id)) console.log(e.at, e.kind);
   * ```
   */
  history(id: string, options?: HistoryOptions): Promise<TicketHistoryEntry[]>;
  /**
   * Unbreached SLA targets falling due within `within` MINUTES from now (paused tickets
   * excluded), soonest first; one entry per target.
   * @example
   * ```ts
   * const soon = await crm.tickets.atRisk({ within: 60 });
   * ```
   */
  atRisk(options: AtRiskOptions): Promise<AtRiskTicket<Ticket<Custom>>[]>;
  /**
   * Set the SLA policy of a priority (stored, so every Crm on the storage applies it to
   * tickets opened, or re-prioritized, from now on). Needs `update` on every ticket.
   * @throws `ValidationError` with paths, `PermissionError`.
   * @example
   * ```ts
   * await crm.tickets.setSlaPolicy({ priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 240 });
   * ```
   */
  setSlaPolicy(policy: SlaPolicyInput): Promise<SlaPolicy>;
  /**
   * Remove the SLA policy of a priority (tickets opened later have no targets).
   * @example
   * ```ts
   * await crm.tickets.removeSlaPolicy('low');
   * ```
   */
  removeSlaPolicy(priority: TicketPriority): Promise<void>;
  /**
   * The stored SLA policies, by priority (least urgent first).
   * @example
   * ```ts
   * const policies = await crm.tickets.slaPolicies();
   * ```
   */
  slaPolicies(): Promise<SlaPolicy[]>;
}

/** Issues for fields a caller may not write on a ticket. */
function verbFieldIssues(input: unknown, allowed: readonly string[], prefix: (string | number)[] = []): ValidationIssue[] {
  if (typeof input !== 'object' || input === null) return [];
  return Object.keys(input)
    .filter((k) => VERB_FIELDS.includes(k) && !allowed.includes(k))
    .map((k) => ({ path: [...prefix, k], message: 'is changed only by the ticket verbs (open, assign, start, pend, resolve, close, reopen, rate)', code: 'read_only' }));
}

function validIso(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * Build `crm.tickets` for a view.
 * @example
 * ```ts
 * const tickets = makeTickets(ctx); // registered in APIS as crm.tickets
 * ```
 */
export function makeTickets<Custom>(ctx: View): TicketsApi<Custom> {
  const entity = ctx.engine.entity('tickets');
  const repo = makeRepository<Ticket<Custom>, TicketInput<Custom>>(ctx, entity);
  const tz = ctx.engine.timeZone;
  const pub = (r: StoredRecord) => visible<Ticket<Custom>>(ctx, entity, r);

  function emit(name: string, record: StoredRecord, payload: Record<string, unknown>): () => void {
    return () => ctx.engine.events.emit(name, Object.freeze({ type: name, actorId: ctx.actor.id, record: toPublic(record), ...payload }));
  }

  async function planOpen(input: unknown, prefix: (string | number)[] = []): Promise<Planned | { issues: ValidationIssue[] }> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return { issues: [{ path: prefix, message: 'expected an object', code: 'invalid_type' }] };
    const given = input as Record<string, unknown>;
    const issues = verbFieldIssues(given, ['assigneeId', 'openedAt'], prefix);
    for (const f of entity.engineFields ?? []) if (f in given) issues.push({ path: [...prefix, f], message: 'is kept by rapport and cannot be written', code: 'read_only' });
    if (issues.length) return { issues };
    const priority = (given['priority'] ?? 'normal') as TicketPriority;
    const openedAt = given['openedAt'] === undefined ? ctx.engine.now() : validIso(given['openedAt']);
    const extra: Record<string, unknown> = {};
    if (openedAt && TICKET_PRIORITIES.includes(priority)) {
      const sla = slaState(priority, await loadPolicy(ctx.session, priority));
      Object.assign(extra, { openedAt, sla, ...dueDates(sla, openedAt, tz) });
    }
    const planned = await planCreate(ctx, entity, { ...given, ...extra }, { prefix, action: 'open' });
    if ('issues' in planned) return planned;
    const assignee = planned.record['assigneeId'];
    if (typeof assignee === 'string') {
      if (assignee !== ctx.actor.id) await authorize(ctx, 'assign', entity, planned.record);
      planned.effects.push(emit('ticket.assigned', planned.record, { from: null, to: assignee }));
    }
    return planned;
  }

  async function open(input: unknown, options?: CallOptions): Promise<Ticket<Custom>> {
    throwIfAborted(options?.signal);
    const planned = await planOpen(input);
    if ('issues' in planned) throw new ValidationError(planned.issues, { collection: 'tickets' });
    await ctx.session.commit(planned.ops, planned.effects);
    return pub(planned.record);
  }

  /** A priority change re-applies the SLA policy of the new priority to an unresolved ticket. */
  async function reprioritize(patch: unknown): Promise<(current: StoredRecord) => unknown> {
    const p = patch as Record<string, unknown>;
    const priority = p['priority'];
    const policy = typeof priority === 'string' && TICKET_PRIORITIES.includes(priority as TicketPriority) ? await loadPolicy(ctx.session, priority) : undefined;
    return (current) => {
      if (typeof priority !== 'string' || priority === current['priority'] || !UNRESOLVED_STATUSES.includes(current['status'] as TicketStatus)) return patch;
      if (!TICKET_PRIORITIES.includes(priority as TicketPriority)) return patch;
      const sla = slaState(priority as TicketPriority, policy, current['sla'] as SlaState | undefined);
      const due = dueDates(sla, current['openedAt'] as string, tz);
      return { ...p, sla, firstResponseDueAt: due.firstResponseDueAt ?? null, resolutionDueAt: due.resolutionDueAt ?? null };
    };
  }

  function guardPatch(patch: unknown, prefix: (string | number)[] = []): void {
    const issues = verbFieldIssues(patch, [], prefix);
    if (issues.length) throw new ValidationError(issues, { collection: 'tickets' });
  }

  async function update(id: string, patch: unknown, options?: WriteOptions): Promise<Ticket<Custom>> {
    throwIfAborted(options?.signal);
    guardPatch(patch);
    const hasPriority = typeof patch === 'object' && patch !== null && 'priority' in patch;
    const fn = hasPriority ? await reprioritize(patch) : () => patch;
    return pub(await updateWithRetry(ctx, entity, id, fn, options?.expectedVersion, { allowEngineFields: hasPriority }));
  }

  const statusEvents = (before: StoredRecord, after: StoredRecord): DomainEvent[] => {
    const from = before['status'] as TicketStatus;
    const to = after['status'] as TicketStatus;
    return from === to ? [] : [{ name: 'ticket.statusChanged', payload: { from, to, ...(isReopen(from, to) ? { reopened: true } : {}) } }];
  };

  async function setStatus(id: string, to: TicketStatus, options: StatusOptions = {}, action = 'setStatus'): Promise<Ticket<Custom>> {
    throwIfAborted(options.signal);
    const patch = (current: StoredRecord) => ({
      ...transitionPatch(current, to, ctx.engine.now(), tz),
      ...(options.resolution !== undefined && to === 'resolved' ? { resolution: options.resolution } : {}),
    });
    return pub(await updateWithRetry(ctx, entity, id, patch, options.expectedVersion, { action, allowEngineFields: true, events: statusEvents }));
  }

  async function assign(id: string, assigneeId: string | null, options: WriteOptions = {}): Promise<Ticket<Custom>> {
    throwIfAborted(options.signal);
    const current = await readForWrite(ctx, entity, id);
    // Taking a ticket oneself is an update; giving it to (or taking it from) someone else is assigning.
    if (assigneeId !== ctx.actor.id || (current['assigneeId'] !== undefined && current['assigneeId'] !== ctx.actor.id)) {
      await authorize(ctx, 'assign', entity, current);
    }
    return pub(
      await updateWithRetry(ctx, entity, id, { assigneeId }, options.expectedVersion, {
        action: 'assign',
        events: (before, after) =>
          before['assigneeId'] === after['assigneeId'] ? [] : [{ name: 'ticket.assigned', payload: { from: before['assigneeId'] ?? null, to: after['assigneeId'] ?? null } }],
      }),
    );
  }

  async function requirePolicyAdmin(): Promise<void> {
    // Policies govern every ticket: setting one needs `update` on all of them.
    if (ctx.engine.policy.scope(ctx.actor, 'update', 'tickets') !== undefined) {
      await deny(ctx, 'update', 'tickets', undefined, 'setting SLA policies needs update on every ticket');
    }
  }

  return {
    ...repo,
    open: (input, options) => open(input, options),
    create: (input, options) => open(input, options),
    async createMany(inputs, options) {
      throwIfAborted(options?.signal);
      if (!Array.isArray(inputs)) throw new ValidationError([{ path: [], message: 'expected an array', code: 'invalid_type' }], { collection: 'tickets' });
      const planned: Planned[] = [];
      const issues: ValidationIssue[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const p = await planOpen(inputs[i], [i]);
        if ('issues' in p) issues.push(...p.issues);
        else planned.push(p);
      }
      if (issues.length) throw new ValidationError(issues, { collection: 'tickets' });
      await ctx.session.commit(planned.flatMap((p) => p.ops), planned.flatMap((p) => p.effects));
      return planned.map((p) => pub(p.record));
    },
    update: (id, patch, options) => update(id, patch, options),
    async updateMany(items: readonly UpdateItem<TicketInput<Custom>>[], options) {
      throwIfAborted(options?.signal);
      items.forEach((item, i) => guardPatch(item.patch, [i, 'patch']));
      const planned: Planned[] = [];
      const results: StoredRecord[] = [];
      for (const item of items) {
        const current = await readForWrite(ctx, entity, item.id);
        if (item.expectedVersion !== undefined && item.expectedVersion !== current.version) throw new ConflictError('tickets', item.id, item.expectedVersion, current.version);
        const hasPriority = 'priority' in (item.patch as object);
        const patch = hasPriority ? (await reprioritize(item.patch))(current) : item.patch;
        const p = await planUpdate(ctx, entity, current, patch, { allowEngineFields: hasPriority });
        if (p) planned.push(p);
        results.push(p ? p.record : current);
      }
      await ctx.session.commit(planned.flatMap((p) => p.ops), planned.flatMap((p) => p.effects));
      return results.map(pub);
    },
    async upsert(input, options) {
      throwIfAborted(options?.signal);
      const externalId = (input as { externalId?: unknown }).externalId;
      if (typeof externalId !== 'string' || externalId.length === 0) {
        throw new ValidationError([{ path: ['externalId'], message: 'upsert needs an externalId', code: 'invalid_type' }], { collection: 'tickets' });
      }
      const page = await ctx.session.query('tickets', { where: { field: 'externalId', op: 'eq', value: externalId }, limit: 1 });
      const existing = page.items[0];
      if (!existing) return { record: await open(input, options), created: true };
      const { id: _ignored, ...patch } = input as Record<string, unknown>;
      return { record: await update(existing.id, patch, options), created: false };
    },
    assign,
    setStatus: (id, status, options) => setStatus(id, status, options),
    start: (id, options) => setStatus(id, 'open', options, 'start'),
    pend: (id, options) => setStatus(id, 'pending', options, 'pend'),
    resolve: (id, options) => setStatus(id, 'resolved', options, 'resolve'),
    close: (id, options) => setStatus(id, 'closed', options, 'close'),
    async reopen(id, options = {}) {
      throwIfAborted(options.signal);
      const patch = (current: StoredRecord) => {
        const from = current['status'] as TicketStatus;
        // Only a resolved or closed ticket reopens (a new or pending one is started instead).
        if (from !== 'resolved' && from !== 'closed') throw new TransitionError(from, 'open', { collection: 'tickets', recordId: current.id });
        return transitionPatch(current, 'open', ctx.engine.now(), tz);
      };
      return pub(await updateWithRetry(ctx, entity, id, patch, options.expectedVersion, { action: 'reopen', allowEngineFields: true, events: statusEvents }));
    },
    async addNote(id, note, options = {}) {
      throwIfAborted(options.signal);
      const visibility = note?.visibility ?? 'internal';
      if (visibility !== 'customer' && visibility !== 'internal') {
        throw new ValidationError([{ path: ['visibility'], message: 'is "customer" or "internal"', code: 'invalid_value' }], { collection: 'tickets', recordId: id });
      }
      const body = requiredText(20_000).safeParse(note?.body);
      if (!body.success) throw new ValidationError([{ path: ['body'], message: 'must be 1 to 20000 characters', code: 'invalid_type' }], { collection: 'tickets', recordId: id });
      const entry: TicketNote = { id: ctx.engine.nextId(), body: body.data, at: ctx.engine.now(), by: ctx.actor.id };
      const field = visibility === 'customer' ? 'customerNotes' : 'internalNotes';
      const patch = (current: StoredRecord) => ({ [field]: [...((current[field] as TicketNote[] | undefined) ?? []), entry] });
      return pub(
        await updateWithRetry(ctx, entity, id, patch, options.expectedVersion, {
          action: 'addNote',
          allowEngineFields: true,
          events: () => [{ name: 'ticket.noteAdded', payload: { noteId: entry.id, visibility } }],
        }),
      );
    },
    async rate(id, rating, options = {}) {
      throwIfAborted(options.signal);
      const score = rating?.score;
      if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
        throw new ValidationError([{ path: ['score'], message: 'must be a whole number from 1 to 5', code: 'invalid_value' }], { collection: 'tickets', recordId: id });
      }
      const patch = (current: StoredRecord) => {
        const status = current['status'] as TicketStatus;
        if (status !== 'resolved' && status !== 'closed') {
          throw new ValidationError([{ path: ['status'], message: `a ticket can be rated once resolved or closed; this one is ${status}`, code: 'invalid_state' }], { collection: 'tickets', recordId: id });
        }
        return { satisfaction: { score, ...(rating.comment !== undefined ? { comment: rating.comment } : {}), at: ctx.engine.now(), by: ctx.actor.id } };
      };
      return pub(await updateWithRetry(ctx, entity, id, patch, options.expectedVersion, { action: 'rate', events: () => [{ name: 'ticket.rated', payload: { score } }] }));
    },
    history: (id, options) => ticketHistory<Ticket<Custom>>(ctx, id, options),
    atRisk: (options) => ticketAtRisk<Ticket<Custom>>(ctx, options),
    async setSlaPolicy(input) {
      await requirePolicyAdmin();
      const parsed = parseSlaPolicy(input);
      const id = policyId(parsed.priority);
      const [existing] = await ctx.session.get('system', [id]);
      const policy: SlaPolicy = { ...parsed, updatedAt: ctx.engine.now(), updatedBy: ctx.actor.id };
      const record: StoredRecord = { ...(policy as unknown as Record<string, unknown>), id, version: (existing?.version ?? 0) + 1, kind: 'slaPolicy' };
      const ops: WriteOp[] = [
        existing ? { type: 'update', collection: 'system', record, expectedVersion: existing.version } : { type: 'insert', collection: 'system', record },
        ...auditOps(ctx.engine, { actorId: ctx.actor.id, action: 'setSlaPolicy', collection: 'tickets', reason: `SLA policy for ${parsed.priority} tickets`, changes: slaChanges(existing, policy) }),
      ];
      await ctx.session.commit(ops, []);
      return structuredClone(policy);
    },
    async removeSlaPolicy(priority) {
      await requirePolicyAdmin();
      const [existing] = await ctx.session.get('system', [policyId(priority)]);
      if (!existing) return;
      await ctx.session.commit(
        [
          { type: 'delete', collection: 'system', id: existing.id, expectedVersion: existing.version },
          ...auditOps(ctx.engine, { actorId: ctx.actor.id, action: 'removeSlaPolicy', collection: 'tickets', reason: `SLA policy for ${priority} tickets` }),
        ],
        [],
      );
    },
    async slaPolicies() {
      const found = await ctx.session.get('system', TICKET_PRIORITIES.map(policyId));
      return found.flatMap((r) => (r ? [fromRecord(r)] : []));
    },
  };
}

function slaChanges(existing: StoredRecord | undefined, next: SlaPolicy): Changes {
  const before = existing ? (fromRecord(existing) as unknown as Record<string, unknown>) : {};
  const out: Changes = {};
  for (const k of ['firstResponseMinutes', 'resolutionMinutes', 'businessHours', 'holidays', 'pauseWhilePending']) {
    const a = before[k] ?? null;
    const b = (next as unknown as Record<string, unknown>)[k] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = [a, b];
  }
  return out;
}
