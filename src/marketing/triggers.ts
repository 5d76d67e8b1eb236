/**
 * What happened, read back from the storage: the automation job derives the domain events of
 * a change from its audit entry (written in the same atomic batch as the change) and the
 * entry's values, the same events the engine emitted on the instance that made the write.
 *
 * @module
 */
import type { Engine } from '../engine/engine';
import type { Changes } from '../engine/record';
import type { StoredRecord } from '../storage/adapter';

/** Audit actions that never trigger anything. */
const SILENT = new Set(['delete', 'denied', 'view', 'export', 'import']);

/** Audit actions that create a record. */
const CREATES = new Set(['create', 'open']);

function changed(values: Changes | undefined, field: string): [unknown, unknown] | undefined {
  return values?.[field];
}

async function stageCategory(engine: Engine, pipelineId: unknown, stageId: unknown): Promise<string | undefined> {
  if (typeof pipelineId !== 'string' || typeof stageId !== 'string') return undefined;
  const [pipeline] = await engine.storage.get('pipelines', [pipelineId]);
  const stages = (pipeline?.['stages'] ?? []) as { id: string; category: string }[];
  return stages.find((s) => s.id === stageId)?.category;
}

/**
 * The event names one audit entry stands for.
 *
 * @param entry - the audit entry.
 * @param values - its `changes` (from `auditValues`), when it has any.
 * @param record - the record as stored now (`undefined` when it is gone).
 * @example
 * ```ts
 * await eventsOf(engine, { action: 'win', collection: 'deals', … }, changes, deal); // ['deal.updated', 'deal.stageChanged', 'deal.won']
 * ```
 */
export async function eventsOf(engine: Engine, entry: StoredRecord, values: Changes | undefined, record: StoredRecord | undefined): Promise<string[]> {
  const action = entry['action'] as string;
  const collection = entry['collection'] as string;
  const entity = engine.entities.get(collection);
  if (!entity || !record || typeof entry['recordId'] !== 'string' || SILENT.has(action)) return [];
  const s = entity.singular;
  if (CREATES.has(action)) {
    if (collection === 'interactions') {
      // Created planned unless it is done and was never closed (logged as done at once).
      const logged = record['status'] === 'done' && record['closedAt'] === undefined;
      return [logged ? 'interaction.logged' : 'interaction.planned'];
    }
    if (collection === 'tickets') return ['ticket.opened'];
    return [`${s}.created`];
  }
  if (action === 'archive') return [`${s}.archived`];
  if (action === 'restore') return [`${s}.restored`];
  const out = [`${s}.updated`];
  const status = changed(values, 'status');
  switch (collection) {
    case 'customers':
      if (action === 'convert') out.push('customer.converted');
      if (action === 'merge') out.push('customer.merged');
      break;
    case 'interactions':
      if (status?.[0] === 'planned' && status[1] === 'done') out.push('interaction.completed');
      if (status?.[0] === 'planned' && status[1] === 'cancelled') out.push('interaction.cancelled');
      break;
    case 'tickets':
      if (status) out.push('ticket.statusChanged');
      if (changed(values, 'assigneeId')) out.push('ticket.assigned');
      if (action === 'slaBreach') out.push('ticket.slaBreached');
      break;
    case 'deals': {
      const stage = changed(values, 'stageId');
      const pipeline = changed(values, 'pipelineId');
      if (stage || pipeline) out.push('deal.stageChanged');
      const closed = changed(values, 'closedAt');
      if (action === 'win') out.push('deal.won');
      else if (action === 'lose') out.push('deal.lost');
      else if (action === 'reopen') out.push('deal.reopened');
      else if (closed && closed[0] === null && closed[1] !== null && stage) {
        // Moved straight into a closed stage: its category says which.
        const category = await stageCategory(engine, pipeline?.[1] ?? record['pipelineId'], stage[1]);
        if (category === 'won') out.push('deal.won');
        if (category === 'lost') out.push('deal.lost');
      }
      break;
    }
  }
  return out;
}
