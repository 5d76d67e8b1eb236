/**
 * The automation job. On every tick of the authority it reads the storage's change feed from
 * a stored checkpoint, picks out the audit entries (each written in the same atomic batch as
 * the change it records, and never rewritten, so the feed keeps every one of them), derives
 * the domain events each stands for, and runs the enabled rules they trigger.
 *
 * Each run is stored in `automationRuns` under the id `<ruleId>:<auditEntryId>`, inserted in
 * the same atomic write as everything the rule wrote. An insert that finds the id taken means
 * another instance (or an earlier tick, before a restart) already ran it, so nothing is
 * written or emitted twice. A rule that fails (a validation error, a record it cannot write)
 * stores a `failed` run under the same id and emits `automation.failed`; it is not retried.
 *
 * @module
 */
import { CrmError, ValidationError, isConflictError, isStorageError } from '../errors';
import { TRIGGERS } from '../entities/automations';
import type { AutomationRule, AutomationWrite } from '../entities/automations';
import type { CompiledEntity } from '../engine/compile';
import type { Engine } from '../engine/engine';
import type { OpContext } from '../engine/guard';
import type { Changes } from '../engine/record';
import { batchSession } from '../engine/session';
import type { Actor } from '../engine/types';
import type { Job } from '../engine/workers';
import { matches } from '../query/evaluate';
import type { Filter } from '../query/types';
import type { Change, StoredRecord, WriteOp } from '../storage/adapter';
import { makeCustomers } from '../api/customers';
// The API objects a view hands out, so the job shares the chunks their verbs load from.
import { makeDeals, makeInteractions, makeTickets } from '../api/lazy';
import { delayMs, targetCollection } from './rules';
import { eventsOf } from './triggers';
import { ENGINE_ROLE } from '../permissions/roles';

/**
 * The `system` record holding the last change-feed `seq` the job has worked through.
 *
 * @example
 * ```ts
 * const [checkpoint] = await storage.get('system', [AUTOMATION_CHECKPOINT]); // { seq }
 * ```
 */
export const AUTOMATION_CHECKPOINT = 'automations:checkpoint';

/**
 * The id of the stored run of a rule for one triggering audit entry.
 *
 * @example
 * ```ts
 * runId('01JRULE', '01JAUDIT'); // '01JRULE:01JAUDIT'
 * ```
 */
export function runId(ruleId: string, auditId: string): string {
  return `${ruleId}:${auditId}`;
}

/**
 * The actor an automation writes as: audited as `automation:<ruleId>`.
 *
 * @example
 * ```ts
 * automationActor('01JRULE').id; // 'automation:01JRULE'
 * ```
 */
export function automationActor(ruleId: string): Actor {
  return { id: `automation:${ruleId}`, roles: [ENGINE_ROLE] };
}

const PAGE = 500;
const MAX_PAGES_PER_TICK = 20;

type Rule = AutomationRule & StoredRecord;

function storageFilter(filter: Filter, entity: CompiledEntity): Filter {
  if ('and' in filter) return { and: filter.and.map((f) => storageFilter(f, entity)) };
  if ('or' in filter) return { or: filter.or.map((f) => storageFilter(f, entity)) };
  if ('not' in filter) return { not: storageFilter(filter.not, entity) };
  const to = entity.rewrites.get(filter.field);
  return to ? ({ ...filter, field: to } as Filter) : filter;
}

async function loadRules(engine: Engine): Promise<Rule[]> {
  const out: Rule[] = [];
  let cursor: string | undefined;
  do {
    const page = await engine.storage.query('automations', {
      where: { and: [{ field: 'enabled', op: 'eq', value: true }, { field: 'archivedAt', op: 'exists', value: false }] },
      orderBy: [{ field: 'id' }],
      limit: 1000,
      cursor,
    });
    out.push(...(page.items as Rule[]));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

/** Describe an error for a stored run: name, code, message. */
function describeError(error: unknown): { name: string; code: string; message: string } {
  if (error instanceof CrmError) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, code: 'internal', message: error.message };
  return { name: 'Error', code: 'internal', message: String(error) };
}

/** Everything a run needs to know about its trigger. */
interface Trigger {
  event: string;
  entry: StoredRecord;
  seq: number;
  record: StoredRecord;
}

/**
 * Make the automation job for an engine (registered in `JOBS`, run by `crm.startWorkers()`).
 *
 * @example
 * ```ts
 * const workers = crm.startWorkers({ intervalMs: 5000 }); // runs automation rules on the authority
 * ```
 */
export function automationJob(engine: Engine): Job {
  return {
    name: 'automations',
    async run(signal) {
      if (!engine.entities.has('automations')) return;
      let rules = await loadRules(engine);
      let [checkpoint] = await engine.storage.get('system', [AUTOMATION_CHECKPOINT]);
      for (let i = 0; i < MAX_PAGES_PER_TICK; i++) {
        if (signal.aborted || engine.closed) return;
        const page = await engine.storage.changes((checkpoint?.['seq'] as number | undefined) ?? 0, PAGE);
        if (page.changes.length === 0) return;
        // A rule written while the job reads the feed applies from its own change on.
        let start = 0;
        for (let j = 0; j <= page.changes.length; j++) {
          const change = page.changes[j];
          if (change === undefined || change.collection === 'automations') {
            if (rules.length) await processChanges(engine, rules, page.changes.slice(start, j), signal);
            if (change !== undefined) rules = await loadRules(engine);
            start = j + 1;
          }
        }
        const next: StoredRecord = { id: AUTOMATION_CHECKPOINT, version: (checkpoint?.version ?? 0) + 1, kind: 'automationCheckpoint', seq: page.lastSeq };
        try {
          await engine.storage.write([checkpoint ? { type: 'update', collection: 'system', record: next, expectedVersion: checkpoint.version } : { type: 'insert', collection: 'system', record: next }]);
        } catch (error) {
          // Another instance moved the checkpoint: it works the feed now; runs already stored are never repeated.
          if (isConflictError(error)) return;
          throw error;
        }
        checkpoint = next;
      }
    },
  };
}

async function processChanges(engine: Engine, rules: Rule[], changes: readonly Change[], signal: AbortSignal): Promise<void> {
  const audits = changes.filter((c) => c.collection === 'audit' && c.type === 'put');
  if (audits.length === 0) return;
  const watched = new Set(rules.map((r) => TRIGGERS[r.on]));
  const entries = (await engine.storage.get('audit', audits.map((c) => c.id))).map((e, i) => [e, audits[i]!.seq] as const);
  const relevant = entries.filter(
    (x): x is readonly [StoredRecord, number] =>
      x[0] !== undefined && watched.has(x[0]['collection'] as string) && typeof x[0]['recordId'] === 'string' && !String(x[0]['actorId']).startsWith('automation:'),
  );
  if (relevant.length === 0) return;
  const values = await engine.storage.get('auditValues', relevant.filter(([e]) => Array.isArray(e['fields'])).map(([e]) => e.id));
  const valuesById = new Map(values.flatMap((v) => (v ? [[v.id, v['changes'] as Changes] as const] : [])));
  for (const [entry, seq] of relevant) {
    if (signal.aborted || engine.closed) return;
    const [record] = await engine.storage.get(entry['collection'] as string, [entry['recordId'] as string]);
    const events = await eventsOf(engine, entry, valuesById.get(entry.id), record);
    for (const event of events) {
      for (const rule of rules) {
        if (rule.on !== event || !after(entry, rule)) continue;
        await runRule(engine, rule, { event, entry, seq, record: record as StoredRecord });
      }
    }
  }
}

/**
 * Whether a change was stored after the rule: a later instant, or the same millisecond and a
 * later id (ids come from one monotonic generator, so within a millisecond they order writes).
 */
function after(entry: StoredRecord, rule: Rule): boolean {
  const at = entry['at'] as string;
  return at > rule.createdAt || (at === rule.createdAt && entry.id > rule.id);
}

async function runRule(engine: Engine, rule: Rule, trigger: Trigger): Promise<void> {
  const id = runId(rule.id, trigger.entry.id);
  const [done] = await engine.storage.get('automationRuns', [id]);
  if (done) return;
  const collection = trigger.entry['collection'] as string;
  if (rule.where && !matches(trigger.record, storageFilter(rule.where, engine.entity(collection)))) return;
  for (let attempt = 0; ; attempt++) {
    // Read the record again on a retry: a conflict means it changed underneath.
    const [record] = attempt === 0 ? [trigger.record] : await engine.storage.get(collection, [trigger.record.id]);
    if (!record) return;
    const batch = batchSession(engine.storage);
    const ctx: OpContext = { engine, actor: automationActor(rule.id), session: batch };
    let writes: AutomationWrite[];
    try {
      writes = await applyActions(ctx, rule, { ...trigger, record });
    } catch (error) {
      if (isStorageError(error)) throw error;
      await storeFailure(engine, rule, trigger, id, error);
      return;
    }
    const run = runRecord(engine, rule, trigger, id, 'ran', writes);
    const ops: WriteOp[] = [...batch.operations(), { type: 'insert', collection: 'automationRuns', record: run }];
    try {
      await engine.storage.write(ops);
    } catch (error) {
      if (!isConflictError(error)) throw error;
      const [stored] = await engine.storage.get('automationRuns', [id]);
      if (stored) return;
      if (attempt >= 3) {
        await storeFailure(engine, rule, trigger, id, error);
        return;
      }
      continue;
    }
    for (const effect of batch.effects()) effect();
    engine.events.emit('automation.ran', { type: 'automation.ran', ...eventFields(rule, trigger, id), writes });
    return;
  }
}

function eventFields(rule: Rule, trigger: Trigger, id: string): Record<string, unknown> {
  return {
    runId: id,
    ruleId: rule.id,
    ruleName: rule.name,
    event: trigger.event,
    collection: trigger.entry['collection'],
    recordId: trigger.entry['recordId'],
    auditId: trigger.entry.id,
    seq: trigger.seq,
  };
}

function runRecord(engine: Engine, rule: Rule, trigger: Trigger, id: string, status: 'ran' | 'failed', writes: AutomationWrite[], error?: unknown): StoredRecord {
  const now = engine.now();
  // The run stores what its events say about the trigger (its own id stands for `runId`).
  const { runId: _runId, ...about } = eventFields(rule, trigger, id);
  const record: StoredRecord = {
    id,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ownerId: rule.ownerId,
    ...about,
    triggeredAt: trigger.entry['at'],
    status,
    writes,
    custom: {},
  };
  if (rule.teamId !== undefined) record['teamId'] = rule.teamId;
  if (error !== undefined) record['error'] = describeError(error);
  return record;
}

async function storeFailure(engine: Engine, rule: Rule, trigger: Trigger, id: string, error: unknown): Promise<void> {
  try {
    await engine.storage.write([{ type: 'insert', collection: 'automationRuns', record: runRecord(engine, rule, trigger, id, 'failed', [], error) }]);
  } catch (e) {
    // Another instance stored this run first: it reported it.
    if (isConflictError(e)) return;
    throw e;
  }
  engine.events.emit('automation.failed', { type: 'automation.failed', ...eventFields(rule, trigger, id), error: describeError(error) });
}

function customerOf(collection: string, record: StoredRecord): string {
  const id = collection === 'customers' ? record.id : record['customerId'];
  if (typeof id !== 'string') {
    throw new ValidationError([{ path: ['customerId'], message: `${collection.replace(/s$/, '')} ${record.id} has no customer`, code: 'invalid_state' }], { collection, recordId: record.id });
  }
  return id;
}

interface Apis {
  customers: ReturnType<typeof makeCustomers>;
  interactions: ReturnType<typeof makeInteractions>;
  deals: ReturnType<typeof makeDeals>;
  tickets: ReturnType<typeof makeTickets>;
}

type Updatable = { update(id: string, patch: never): Promise<unknown> };

/** Run a rule's actions through the collections' own verbs, in the batch. */
async function applyActions(ctx: OpContext, rule: Rule, trigger: Trigger): Promise<AutomationWrite[]> {
  const collection = trigger.entry['collection'] as string;
  const { record } = trigger;
  const cache: Partial<Apis> = {};
  const api = <K extends keyof Apis>(name: K): Apis[K] => {
    const make = { customers: makeCustomers, interactions: makeInteractions, deals: makeDeals, tickets: makeTickets }[name];
    return (cache[name] ??= make(ctx) as Apis[K]) as Apis[K];
  };
  const writes: AutomationWrite[] = [];
  for (const action of rule.do) {
    const target = targetCollection(action, collection);
    const targetId = action.action === 'planInteraction' || action.target !== 'customer' ? record.id : customerOf(collection, record);
    const repo = (api as (n: string) => Updatable)(target);
    switch (action.action) {
      case 'planInteraction': {
        const due = Date.parse(trigger.entry['at'] as string) + delayMs(action.in);
        const assignee = action.assignee ?? 'owner';
        const assigneeId = assignee === 'owner' ? record['ownerId'] : assignee === 'assignee' ? (record['assigneeId'] ?? record['ownerId']) : assignee;
        const input: Record<string, unknown> = {
          type: action.type,
          subject: action.subject,
          customerId: customerOf(collection, record),
          dueAt: new Date(due).toISOString(),
          ownerId: record['ownerId'],
        };
        if (typeof assigneeId === 'string') input['assigneeId'] = assigneeId;
        if (typeof record['teamId'] === 'string') input['teamId'] = record['teamId'];
        if (action.body !== undefined) input['body'] = action.body;
        if (action.remindBefore) input['remindAt'] = new Date(due - delayMs(action.remindBefore)).toISOString();
        if (collection === 'deals') input['dealId'] = record.id;
        if (collection === 'tickets') input['ticketId'] = record.id;
        const planned = await api('interactions').plan(input as never);
        writes.push({ collection: 'interactions', id: planned.id, op: 'create' });
        break;
      }
      case 'assign': {
        const patch: Record<string, unknown> = {};
        if (action.ownerId !== undefined) patch['ownerId'] = action.ownerId;
        if (action.teamId !== undefined) patch['teamId'] = action.teamId;
        if (target === 'tickets' && action.assigneeId !== undefined) {
          await api('tickets').assign(targetId, action.assigneeId);
        } else if (action.assigneeId !== undefined) {
          patch['assigneeId'] = action.assigneeId;
        }
        if (Object.keys(patch).length) await repo.update(targetId, patch as never);
        writes.push({ collection: target, id: targetId, op: 'update' });
        break;
      }
      case 'tag': {
        const [current] = await ctx.session.get(target, [targetId]);
        const tags = (current?.['tags'] ?? []) as string[];
        const added = action.tags.filter((t) => !tags.includes(t));
        if (added.length) {
          await repo.update(targetId, { tags: [...tags, ...added] } as never);
          writes.push({ collection: target, id: targetId, op: 'update' });
        }
        break;
      }
      case 'update':
        await repo.update(targetId, action.patch as never);
        writes.push({ collection: target, id: targetId, op: 'update' });
        break;
    }
  }
  return writes;
}

