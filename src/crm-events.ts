/**
 * The events a Crm emits, by name. Payloads are objects carrying their own `type`, so fields
 * can be added without breaking anyone.
 *
 * @module
 */
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
  'customer.created': RecordEvent<'customer.created', Cu>;
  'customer.updated': UpdatedEvent<'customer.updated', Cu>;
  'customer.archived': RecordEvent<'customer.archived', Cu>;
  'customer.restored': RecordEvent<'customer.restored', Cu>;
  'customer.deleted': DeletedEvent<'customer.deleted', Cu>;
  'interaction.logged': RecordEvent<'interaction.logged', In>;
  'interaction.planned': RecordEvent<'interaction.planned', In>;
  'interaction.updated': UpdatedEvent<'interaction.updated', In>;
  'interaction.completed': RecordEvent<'interaction.completed', In>;
  'interaction.cancelled': RecordEvent<'interaction.cancelled', In>;
  'interaction.archived': RecordEvent<'interaction.archived', In>;
  'interaction.restored': RecordEvent<'interaction.restored', In>;
  'interaction.deleted': DeletedEvent<'interaction.deleted', In>;
  'customer.converted': CustomerConvertedEvent<Cu>;
  'pipeline.created': RecordEvent<'pipeline.created', Pipeline>;
  'pipeline.updated': UpdatedEvent<'pipeline.updated', Pipeline>;
  'pipeline.archived': RecordEvent<'pipeline.archived', Pipeline>;
  'pipeline.restored': RecordEvent<'pipeline.restored', Pipeline>;
  'pipeline.deleted': DeletedEvent<'pipeline.deleted', Pipeline>;
  'deal.created': RecordEvent<'deal.created', Deal>;
  'deal.updated': UpdatedEvent<'deal.updated', Deal>;
  'deal.stageChanged': DealStageChangedEvent;
  'deal.won': RecordEvent<'deal.won', Deal>;
  'deal.lost': RecordEvent<'deal.lost', Deal> & { reason: string | null };
  'deal.reopened': RecordEvent<'deal.reopened', Deal> & { from: 'won' | 'lost' };
  'deal.archived': RecordEvent<'deal.archived', Deal>;
  'deal.restored': RecordEvent<'deal.restored', Deal>;
  'deal.deleted': DeletedEvent<'deal.deleted', Deal>;
  'access.denied': AccessDeniedEvent;
  'workers.authorityChanged': AuthorityChangedEvent;
  'workers.failed': WorkerFailedEvent;
  error: HandlerErrorEvent;
}

/** The name of any event. */
export type CrmEventName = keyof CrmEvents;
