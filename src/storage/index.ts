/**
 * The storage contract.
 * @module
 */
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
} from './adapter';
export { Aggregator, aggregateByScan, aggregateRecords, percentile } from './aggregate';
