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
  error: {
    /** The error's class name, e.g. `ValidationError` (`Error` when a non-error value was thrown). */
    name: string;
    /** The `CrmError` code, e.g. `validation_failed`; `internal` for any other error. */
    code: string;
    /** The error's message (the thrown value as a string when it was not an error). */
    message: string;
  };
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
  /** A campaign was created. */
  'campaign.created': RecordEvent<'campaign.created', Campaign>;
  /** A campaign was updated; `changes` lists the fields that changed. */
  'campaign.updated': UpdatedEvent<'campaign.updated', Campaign>;
  /** A campaign was archived. */
  'campaign.archived': RecordEvent<'campaign.archived', Campaign>;
  /** An archived campaign was restored. */
  'campaign.restored': RecordEvent<'campaign.restored', Campaign>;
  /** A campaign was deleted for good (only one nothing is attributed to). */
  'campaign.deleted': DeletedEvent<'campaign.deleted', Campaign>;
  /** A segment was created. */
  'segment.created': RecordEvent<'segment.created', Segment>;
  /** A segment was updated; `changes` lists the fields that changed. */
  'segment.updated': UpdatedEvent<'segment.updated', Segment>;
  /** A segment was archived. */
  'segment.archived': RecordEvent<'segment.archived', Segment>;
  /** An archived segment was restored. */
  'segment.restored': RecordEvent<'segment.restored', Segment>;
  /** A segment was deleted for good. */
  'segment.deleted': DeletedEvent<'segment.deleted', Segment>;
  /** An automation rule was created (`crm.automations.add` or `create`). */
  'automation.created': RecordEvent<'automation.created', AutomationRule>;
  /** An automation rule was updated (also by `enable` and `disable`); `changes` lists the fields that changed. */
  'automation.updated': UpdatedEvent<'automation.updated', AutomationRule>;
  /** An automation rule was archived. */
  'automation.archived': RecordEvent<'automation.archived', AutomationRule>;
  /** An archived automation rule was restored. */
  'automation.restored': RecordEvent<'automation.restored', AutomationRule>;
  /** An automation rule was deleted for good. */
  'automation.deleted': DeletedEvent<'automation.deleted', AutomationRule>;
  /** A rule ran and its writes were stored, once per triggering change. */
  'automation.ran': AutomationRanEvent;
  /** A rule failed; nothing it would have written is stored and it is not retried. */
  'automation.failed': AutomationFailedEvent;
  /** A reminder came due, once per item and due time. */
  'reminder.due': ReminderDueEvent;
}
