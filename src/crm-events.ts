/**
 * The events a Crm emits, by name. Payloads are objects carrying their own `type`, so fields
 * can be added without breaking anyone.
 *
 * @module
 */
import type { CustomerMergedEvent, CustomerUnmergedEvent } from './api/merge';
import type { DuplicateSuspectedEvent } from './api/duplicates';
import type { ImportProgress } from './io/import';
import type { Customer } from './entities/customers';
import type { Interaction } from './entities/interactions';
import type { Deal } from './entities/deals';
import type { Pipeline } from './entities/pipelines';
import type { Changes } from './engine/record';
import type { HandlerErrorEvent } from './events';

/** A record was created, archived, restored or reached a new state. */
export interface RecordEvent<Name extends string, T> {
  /** The event's name. */
  type: Name;
  /** Who did it. */
  actorId: string;
  /** The record after the write. */
  record: T;
}

/** A record was updated. */
export interface UpdatedEvent<Name extends string, T> extends RecordEvent<Name, T> {
  /** Field → `[before, after]` (`null` for absent). */
  changes: Changes;
}

/** A record was deleted. */
export interface DeletedEvent<Name extends string, T> extends RecordEvent<Name, T> {
  /** The deleted record's id. */
  id: string;
}

/** A deal moved from one stage to another (`win`, `lose` and `reopen` move it too). */
export interface DealStageChangedEvent extends RecordEvent<'deal.stageChanged', Deal> {
  /** The stage it left. */
  from: string;
  /** The stage it entered. */
  to: string;
  /** The pipeline it left (differs from `toPipelineId` when it moved pipelines). */
  fromPipelineId: string;
  /** The pipeline it is in now. */
  toPipelineId: string;
}

/** A lead was converted by `crm.customers.convert`. */
export interface CustomerConvertedEvent<Cu = Customer> extends RecordEvent<'customer.converted', Cu> {
  /** Always `lead`. */
  from: 'lead';
  /** `customer` or `prospect`. */
  to: 'customer' | 'prospect';
  /** The deal opened with the conversion, or `null`. */
  dealId: string | null;
}

/** An action was refused. */
export interface AccessDeniedEvent {
  /** `access.denied`. */
  type: 'access.denied';
  /** Who tried. */
  actorId: string;
  /** What they tried. */
  action: string;
  /** Where. */
  collection: string;
  /** Which record, if one. */
  recordId?: string;
  /** Why it was refused. */
  reason: string;
}

/** This Crm became (or stopped being) the authority that runs workers. */
export interface AuthorityChangedEvent {
  /** `workers.authorityChanged`. */
  type: 'workers.authorityChanged';
  /** This engine's instance id. */
  instanceId: string;
  /** Whether it holds the lease now. */
  isAuthority: boolean;
}

/** An import made progress (after each committed chunk). */
export interface ImportProgressEvent extends ImportProgress {
  /** `import.progress`. */
  type: 'import.progress';
  /** Who runs the import. */
  actorId: string;
}

/** An import ended: finished, or cancelled with what was committed. */
export interface ImportCompletedEvent extends ImportProgress {
  /** `import.completed`. */
  type: 'import.completed';
  /** Who ran the import. */
  actorId: string;
  /** Whether it was cancelled through its signal. */
  cancelled: boolean;
  /** Whether it was a dry run (nothing stored). */
  dryRun: boolean;
}

/** A worker job failed; it will be tried again on the next tick. */
export interface WorkerFailedEvent {
  /** `workers.failed`. */
  type: 'workers.failed';
  /** The job's name. */
  job: string;
  /** What it threw. */
  error: unknown;
}

/**
 * Every event, by name.
 * @typeParam Cu - customer type. @typeParam In - interaction type.
 */
export interface CrmEvents<Cu = Customer, In = Interaction> {
  /** A customer was created. */
  'customer.created': RecordEvent<'customer.created', Cu>;
  /** A customer was updated; `changes` lists the fields that changed. */
  'customer.updated': UpdatedEvent<'customer.updated', Cu>;
  /** A customer was archived. */
  'customer.archived': RecordEvent<'customer.archived', Cu>;
  /** An archived customer was restored. */
  'customer.restored': RecordEvent<'customer.restored', Cu>;
  /** A customer was deleted for good. */
  'customer.deleted': DeletedEvent<'customer.deleted', Cu>;
  /** An interaction that already happened was recorded (`crm.interactions.log`). */
  'interaction.logged': RecordEvent<'interaction.logged', In>;
  /** An interaction was planned with a due time (`crm.interactions.plan`). */
  'interaction.planned': RecordEvent<'interaction.planned', In>;
  /** An interaction was updated; `changes` lists the fields that changed. */
  'interaction.updated': UpdatedEvent<'interaction.updated', In>;
  /** A planned interaction was marked done. */
  'interaction.completed': RecordEvent<'interaction.completed', In>;
  /** A planned interaction was cancelled. */
  'interaction.cancelled': RecordEvent<'interaction.cancelled', In>;
  /** An interaction was archived. */
  'interaction.archived': RecordEvent<'interaction.archived', In>;
  /** An archived interaction was restored. */
  'interaction.restored': RecordEvent<'interaction.restored', In>;
  /** An interaction was deleted for good. */
  'interaction.deleted': DeletedEvent<'interaction.deleted', In>;
  /** A lead was converted to a customer or prospect (`crm.customers.convert`). */
  'customer.converted': CustomerConvertedEvent<Cu>;
  /** Duplicate customers were merged into a survivor (`crm.customers.merge`). */
  'customer.merged': CustomerMergedEvent<Cu>;
  /** A merge was undone and the duplicates brought back (`crm.customers.unmerge`). */
  'customer.unmerged': CustomerUnmergedEvent<Cu>;
  /** A customer was created despite likely duplicates (`onDuplicate: 'warn'`). */
  'customer.duplicateSuspected': DuplicateSuspectedEvent<Cu>;
  /** An import committed another chunk. */
  'import.progress': ImportProgressEvent;
  /** An import finished or was cancelled. */
  'import.completed': ImportCompletedEvent;
  /** A pipeline was created. */
  'pipeline.created': RecordEvent<'pipeline.created', Pipeline>;
  /** A pipeline or its stages were updated; `changes` lists the fields that changed. */
  'pipeline.updated': UpdatedEvent<'pipeline.updated', Pipeline>;
  /** A pipeline was archived. */
  'pipeline.archived': RecordEvent<'pipeline.archived', Pipeline>;
  /** An archived pipeline was restored. */
  'pipeline.restored': RecordEvent<'pipeline.restored', Pipeline>;
  /** A pipeline was deleted for good. */
  'pipeline.deleted': DeletedEvent<'pipeline.deleted', Pipeline>;
  /** A deal was created. */
  'deal.created': RecordEvent<'deal.created', Deal>;
  /** A deal was updated; `changes` lists the fields that changed. */
  'deal.updated': UpdatedEvent<'deal.updated', Deal>;
  /** A deal moved to another stage (also fired by `win`, `lose` and `reopen`). */
  'deal.stageChanged': DealStageChangedEvent;
  /** A deal was won, after its `deal.stageChanged`. */
  'deal.won': RecordEvent<'deal.won', Deal>;
  /** A deal was lost, after its `deal.stageChanged`. */
  'deal.lost': RecordEvent<'deal.lost', Deal> & {
    /** The `lostReason` given to `lose`, or `null`. */
    reason: string | null;
  };
  /** A won or lost deal was reopened, after its `deal.stageChanged`. */
  'deal.reopened': RecordEvent<'deal.reopened', Deal> & {
    /** The status the deal had before it was reopened. */
    from: 'won' | 'lost';
  };
  /** A deal was archived. */
  'deal.archived': RecordEvent<'deal.archived', Deal>;
  /** An archived deal was restored. */
  'deal.restored': RecordEvent<'deal.restored', Deal>;
  /** A deal was deleted for good. */
  'deal.deleted': DeletedEvent<'deal.deleted', Deal>;
  /** An action was refused by the permission policy. */
  'access.denied': AccessDeniedEvent;
  /** This Crm gained or lost the lease that lets it run workers. */
  'workers.authorityChanged': AuthorityChangedEvent;
  /** A worker job threw; it runs again on the next tick. */
  'workers.failed': WorkerFailedEvent;
  /** An event handler threw; the write and the other handlers were unaffected. */
  error: HandlerErrorEvent;
}

/** The name of any event. */
export type CrmEventName = keyof CrmEvents;
