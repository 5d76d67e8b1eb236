/**
 * The marketing and automation events, by name. Payloads carry their own `type`.
 * `reminder.due`, `automation.ran` and `automation.failed` carry ids rather than records:
 * they reach every listener, so a host app fetches the record as its own user.
 *
 * @module
 */
import type { DeletedEvent, RecordEvent, UpdatedEvent } from '../crm-events';
import type { AutomationRule, AutomationWrite } from '../entities/automations';
import type { Campaign } from '../entities/campaigns';
import type { Segment } from '../entities/segments';
import type { Reminder } from './reminders';

/**
 * A reminder came due (fired once per item and due time by the authority's reminders job).
 *
 * @example
 * ```ts
 * crm.on('reminder.due', (e) => notify(e.assigneeId ?? e.ownerId, `${e.kind} ${e.recordId} due ${e.dueAt}`));
 * ```
 */
export type ReminderDueEvent = Reminder & {
  /** `reminder.due`. */
  type: 'reminder.due';
  /** When the job fired it. */
  firedAt: string;
};

/**
 * What `automation.ran` and `automation.failed` share.
 *
 * @example
 * ```ts
 * crm.on('automation.ran', (e) => console.log(e.runId, e.event, e.recordId));
 * ```
 */
export interface AutomationEventBase {
  /** The stored run's id, `<ruleId>:<auditEntryId>`. */
  runId: string;
  /** The rule. */
  ruleId: string;
  /** The rule's name. */
  ruleName: string;
  /** The event that triggered it, e.g. `deal.won`. */
  event: string;
  /** The triggering record's collection. */
  collection: string;
  /** The triggering record. */
  recordId: string;
  /** The audit entry of the triggering change. */
  auditId: string;
  /** Its `seq` in the change feed. */
  seq: number;
}

/**
 * A rule ran: its writes are stored (audited as `automation:<ruleId>`).
 *
 * @example
 * ```ts
 * crm.on('automation.ran', (e) => console.log(e.ruleName, 'wrote', e.writes.length, 'records'));
 * ```
 */
export interface AutomationRanEvent extends AutomationEventBase {
  /** `automation.ran`. */
  type: 'automation.ran';
  /** What it wrote. */
  writes: AutomationWrite[];
}

/**
 * A rule failed: nothing it would have written is stored; the failure is (in `automationRuns`).
 *
 * @example
 * ```ts
 * crm.on('automation.failed', (e) => alert(`${e.ruleName}: ${e.error.message}`));
 * ```
 */
export interface AutomationFailedEvent extends AutomationEventBase {
  /** `automation.failed`. */
  type: 'automation.failed';
  /** Why. */
  error: { name: string; code: string; message: string };
}

/**
 * Every marketing and automation event, by name.
 *
 * @example
 * ```ts
 * const off = crm.on('campaign.created', (e) => console.log(e.record.name));
 * ```
 */
export interface MarketingEvents {
  'campaign.created': RecordEvent<'campaign.created', Campaign>;
  'campaign.updated': UpdatedEvent<'campaign.updated', Campaign>;
  'campaign.archived': RecordEvent<'campaign.archived', Campaign>;
  'campaign.restored': RecordEvent<'campaign.restored', Campaign>;
  'campaign.deleted': DeletedEvent<'campaign.deleted', Campaign>;
  'segment.created': RecordEvent<'segment.created', Segment>;
  'segment.updated': UpdatedEvent<'segment.updated', Segment>;
  'segment.archived': RecordEvent<'segment.archived', Segment>;
  'segment.restored': RecordEvent<'segment.restored', Segment>;
  'segment.deleted': DeletedEvent<'segment.deleted', Segment>;
  'automation.created': RecordEvent<'automation.created', AutomationRule>;
  'automation.updated': UpdatedEvent<'automation.updated', AutomationRule>;
  'automation.archived': RecordEvent<'automation.archived', AutomationRule>;
  'automation.restored': RecordEvent<'automation.restored', AutomationRule>;
  'automation.deleted': DeletedEvent<'automation.deleted', AutomationRule>;
  'automation.ran': AutomationRanEvent;
  'automation.failed': AutomationFailedEvent;
  'reminder.due': ReminderDueEvent;
}
