/**
 * rapport — an embeddable CRM SDK: customers, the interaction timeline, pipelines, service,
 * campaigns, reports and access control, stored in memory, in IndexedDB or on a server.
 *
 * @module
 */
export { createCrm, SYSTEM_ACTOR } from './crm';
export type { Crm, CrmEventMap, CrmOptions, CrmTransaction, RemoteConnector, Reports } from './crm';
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
export type { CustomerCreateOptions, DuplicateGroup, DuplicateMatch, DuplicateReason, DuplicateSuspectedEvent, FindDuplicatesOptions, FindDuplicatesResult } from './api/duplicates';
export type { CustomerMergedEvent, CustomerUnmergedEvent, MergeOptions, MergePreference, MergeResult, UnmergeResult } from './api/merge';
export type { CompleteOptions, InteractionInput, InteractionsApi, LogInput, PlanInput } from './api/interactions';
export type { CustomInput, EntityInput, Repository, UpdateItem } from './api/types';
export type { SearchApi, SearchHit, SearchOptions } from './api/search';
export type { AuditApi, AuditQuery } from './api/audit';
export type { Consent, Customer, Lifecycle } from './entities/customers';
export type { ConvertOptions, ConvertResult } from './api/convert';
export type { DealsApi, DealInput, DealCreateOptions, DealUpdateOptions, MoveOptions, WinOptions, LoseOptions, ReopenOptions } from './api/deals';
export type { PipelinesApi, PipelineInput, StagePatch, AddStageOptions } from './api/pipelines';
export type { Deal, DealStatus, StageHistoryEntry } from './entities/deals';
export type { ForecastCategory, Pipeline, Stage, StageCategory } from './entities/pipelines';
export { FORECAST_CATEGORIES } from './entities/pipelines';
export type { DealStageChangedEvent, CustomerConvertedEvent, ImportProgressEvent, ImportCompletedEvent } from './crm-events';
export type {
  SalesReports,
  SalesFilter,
  PipelineSummary,
  PipelineSummaryOptions,
  PipelineSummaryRow,
  PipelineSummaryTotals,
  Forecast,
  ForecastOptions,
  ForecastRow,
  ForecastTotals,
  WinRate,
  WinRateFigures,
  WinRateOptions,
  WinRateRow,
  CycleFigures,
  SalesCycle,
  SalesCycleOptions,
  SalesCycleRow,
  StageFunnel,
  StageFunnelOptions,
  StageFunnelRow,
  StageFunnelTotals,
  Leaderboard,
  LeaderboardOptions,
  LeaderboardRow,
  LeaderboardTotals,
  QuotaAttainment,
  QuotaAttainmentOptions,
  QuotaAttainmentRow,
  QuotaAttainmentTotals,
  QuotaTarget,
} from './reports/sales/index';
export { GROUPINGS } from './reports/sales/groupings';
export type { Column, ColumnKind, MoneyList, RatioList, ReportTable } from './reports/table';
export { DAY_MS, MoneyBag, amountIn, ratio, ratioList, weigh } from './reports/table';
export type { Period, PeriodUnit, ZonedParts } from './reports/periods';
export { PERIOD_UNITS, nextPeriod, parsePeriod, periodOf, periodsBetween, startOfDay, zonedParts } from './reports/periods';
export { LIFECYCLES } from './entities/customers';
export type { Interaction, InteractionStatus, InteractionType } from './entities/interactions';
export { INTERACTION_TYPES } from './entities/interactions';
export type { NoteInput, RatingInput, StatusOptions, TicketInput, TicketsApi } from './api/tickets';
export type { AssignmentChange, NoteVisibility, Satisfaction, StatusChange, Ticket, TicketKind, TicketNote, TicketStatus } from './entities/tickets';
export { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TRANSITIONS } from './entities/tickets';
export type { TicketPriority } from './entities/tickets';
export type { SlaPolicy, SlaPolicyInput, SlaState } from './service/policy';
export type { BusinessCalendar, BusinessHours, Weekday } from './service/calendar';
export { addBusinessTime, businessTimeBetween } from './service/calendar';
export type { SlaTarget } from './service/breaches';
export type { AtRiskOptions, AtRiskTicket, HistoryOptions, TicketHistoryEntry } from './service/history';
export type { CampaignInput, CampaignsApi } from './api/campaigns';
export type { Campaign, CampaignStatus } from './entities/campaigns';
export { CAMPAIGN_STATUSES } from './entities/campaigns';
export type { MembersOptions, SegmentInput, SegmentsApi } from './api/segments';
export type { Segment } from './entities/segments';
export type { RemindersApi, UpcomingOptions, UpcomingReminder } from './api/reminders';
export type { Reminder } from './marketing/reminders';
export type { ReminderKind } from './marketing/reminder-kinds';
export { REMINDER_KINDS, TICKET_WARNING_MS } from './marketing/reminder-kinds';
export type { AutomationInput, AutomationsApi, RunsQuery } from './api/automations';
export type { ActionTarget, AssignAction, AutomationAction, AutomationRule, AutomationRun, AutomationWrite, Delay, PlanInteractionAction, TagAction, UpdateAction } from './entities/automations';
export { TRIGGERS } from './entities/automations';
export type { AutomationEventBase, AutomationFailedEvent, AutomationRanEvent, MarketingEvents, ReminderDueEvent } from './marketing/events';
export type {
  Breakdown,
  CampaignPerformance,
  CampaignPerformanceOptions,
  CampaignPerformanceRow,
  CampaignPerformanceTotals,
  CustomerBase,
  CustomerBaseOptions,
  CustomerBaseTotals,
  CustomerValue,
  CustomerValueOptions,
  CustomerValueOrder,
  CustomerValueRow,
  CustomerValueTotals,
  MarketingRange,
  MarketingReports,
  NewCustomersRow,
  RoiReason,
  SourcePerformance,
  SourcePerformanceOptions,
  SourcePerformanceRow,
  SourcePerformanceTotals,
} from './reports/marketing/index';
export type { TicketEvents } from './service/events';
export type { BacklogFigures, ComplianceFigures, DurationFigures, ReopenFigures, ServicePeriod, ServicePeriodUnit, ServiceReports, TicketDimension, TicketReport, TicketReportOptions, TicketReportRow, VolumeFigures } from './reports/service/index';
export type { AuditAction, AuditEntry } from './engine/audit';
export type {
  CustomFieldCommon,
  CustomFieldDefinition,
  CustomFieldsConfig,
  CustomFieldType,
  CustomFieldValue,
  CustomOf,
  CustomValues,
  Simplify,
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
export type { Grants, RoleDefinition, ScopeName } from './permissions/roles';
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
  GroupKey,
  IndexSpec,
  Metric,
  QueryPlan,
  StorageAdapter,
  StorageAdapterFactory,
  StorageCapabilities,
  StorageSchema,
  StoredRecord,
  TimeBucket,
  TimeBucketUnit,
  WriteOp,
  WriteResult,
} from './storage/adapter';
export { Aggregator, TIME_BUCKET_UNITS, aggregateByScan, aggregateRecords, percentile, validateAggregation } from './storage/aggregate';
