/**
 * rapport — an embeddable CRM SDK: customers, the interaction timeline, pipelines, service,
 * campaigns, reports and access control, stored in memory, in IndexedDB or on a server.
 *
 * @module
 */
export { createCrm, SYSTEM_ACTOR } from './crm';
export type { Crm, CrmEventMap, CrmOptions, CrmTransaction } from './crm';
export type {
  AccessDeniedEvent,
  AuthorityChangedEvent,
  CrmEventName,
  CrmEvents,
  DeletedEvent,
  RecordEvent,
  UpdatedEvent,
  WorkerFailedEvent,
} from './crm-events';
export type { EventBase, HandlerErrorEvent } from './events';
export type { CustomersApi, CustomerInput, TimelineOptions } from './api/customers';
export type { CompleteOptions, InteractionInput, InteractionsApi, LogInput, PlanInput } from './api/interactions';
export type { CustomInput, EntityInput, Repository, UpdateItem } from './api/types';
export type { SearchApi, SearchHit, SearchOptions } from './api/search';
export type { AuditApi, AuditQuery } from './api/audit';
export type { Consent, Customer, Lifecycle } from './entities/customers';
export { LIFECYCLES } from './entities/customers';
export type { Interaction, InteractionStatus, InteractionType } from './entities/interactions';
export { INTERACTION_TYPES } from './entities/interactions';
export type { AuditAction, AuditEntry } from './engine/audit';
export type {
  CustomFieldCommon,
  CustomFieldDefinition,
  CustomFieldsConfig,
  CustomFieldType,
  CustomFieldValue,
  CustomOf,
  CustomValues,
} from './engine/custom-fields';
export type { FindQuery, FindResult } from './engine/read';
export type { Changes } from './engine/record';
export type { Actor, CallOptions, Clock, MergePatch, Money, RecordBase, SystemField, WriteOptions } from './engine/types';
export type { LiveQuery, Snapshot } from './engine/watch';
export type { Job, WorkerOptions, Workers } from './engine/workers';
export { applyMergePatch } from './engine/merge-patch';
export { ulidFactory } from './engine/ids';
export { ACTIONS } from './permissions/policy';
export type { Action } from './permissions/policy';
export {
  CrmError,
  ValidationError,
  QueryError,
  NotFoundError,
  ConflictError,
  ConstraintError,
  TransitionError,
  PermissionError,
  StorageError,
  HttpError,
  errorFromJSON,
  isCrmError,
  isValidationError,
  isQueryError,
  isNotFoundError,
  isConflictError,
  isConstraintError,
  isTransitionError,
  isPermissionError,
  isStorageError,
  isHttpError,
} from './errors';
export type { ConstraintKind, CrmErrorCode, CrmErrorContext, CrmErrorName, ValidationIssue } from './errors';
export type { Condition, Filter, JsonValue, ListOperator, Operator, OrderBy, Page, ScalarOperator, StorageQuery } from './query/types';
export { DEFAULT_LIMIT, MAX_LIMIT, OPERATORS } from './query/types';
export { compareValues, matches, comparator } from './query/index';
export { normalizeQuery, encodeCursor, decodeCursor, queryHash, sortKey, compareKeys, collectValues, sortValue, canonicalJson, valuesEqual, typeRank, fieldPathProblem, validateFilter, totalOrder } from './query/index';
export type { NormalizedQuery, QueryValidationOptions } from './query/index';
export type {
  AggregateRow,
  Aggregation,
  Change,
  ChangesPage,
  CollectionSpec,
  IndexSpec,
  Metric,
  QueryPlan,
  StorageAdapter,
  StorageAdapterFactory,
  StorageCapabilities,
  StorageSchema,
  StoredRecord,
  WriteOp,
  WriteResult,
} from './storage/adapter';
export { Aggregator, aggregateByScan, aggregateRecords, percentile } from './storage/aggregate';
