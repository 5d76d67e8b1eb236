/**
 * Automation rules: records, not closures. "When a deal is won, plan a thank-you call in two
 * days for its owner" is stored as `{ on: 'deal.won', do: [{ action: 'planInteraction', … }] }`,
 * so every Crm on the storage (and the one holding the workers' lease) runs the same rules.
 * Each run is stored in `automationRuns`, keyed by rule and triggering change.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { EntityModule } from '../engine/entity';
import type { RecordBase } from '../engine/types';
import type { InteractionType } from './interactions';
import type { Filter } from '../query/types';
import { dateTime, idString, requiredText, tags, text } from './common';

/**
 * The events an automation rule may be triggered by, with the collection of the record each
 * is about. Deletions are not triggers (there is no record left to act on); changes made by
 * imports and by automations themselves trigger nothing (see `docs/automation.md`).
 *
 * @example
 * ```ts
 * TRIGGERS['deal.won']; // 'deals'
 * ```
 */
export const TRIGGERS: Readonly<Record<string, string>> = {
  'customer.created': 'customers',
  'customer.updated': 'customers',
  'customer.converted': 'customers',
  'customer.merged': 'customers',
  'customer.archived': 'customers',
  'customer.restored': 'customers',
  'interaction.logged': 'interactions',
  'interaction.planned': 'interactions',
  'interaction.updated': 'interactions',
  'interaction.completed': 'interactions',
  'interaction.cancelled': 'interactions',
  'deal.created': 'deals',
  'deal.updated': 'deals',
  'deal.stageChanged': 'deals',
  'deal.won': 'deals',
  'deal.lost': 'deals',
  'deal.reopened': 'deals',
  'ticket.opened': 'tickets',
  'ticket.updated': 'tickets',
  'ticket.statusChanged': 'tickets',
  'ticket.assigned': 'tickets',
  'ticket.slaBreached': 'tickets',
};

/**
 * How long after the triggering change something is due: days, hours and minutes, added up.
 *
 * @example
 * ```ts
 * const inTwoDays: Delay = { days: 2 };
 * ```
 */
export interface Delay {
  /** Whole or fractional days. */
  days?: number;
  /** Hours. */
  hours?: number;
  /** Minutes. */
  minutes?: number;
}

/**
 * Which record an action writes: the record whose change triggered the rule, or its customer
 * (`customerId` of a deal, interaction or ticket; the customer itself for customer events).
 * @example
 * ```ts
 * const t: ActionTarget = 'customer';
 * ```
 */
export type ActionTarget = 'record' | 'customer';

/**
 * Plan an interaction for the triggering record's customer, due `in` after the change.
 *
 * @example
 * ```ts
 * const call: PlanInteractionAction = { action: 'planInteraction', type: 'call', subject: 'Thank-you call', in: { days: 2 } };
 * ```
 */
export interface PlanInteractionAction {
  /** `planInteraction`. */
  action: 'planInteraction';
  /** The interaction's type. */
  type: InteractionType;
  /** Its subject. */
  subject: string;
  /** Its body. */
  body?: string;
  /** Due this long after the triggering change. */
  in: Delay;
  /** Remind this long before it is due. */
  remindBefore?: Delay;
  /**
   * Who does it: `owner` (the record's owner), `assignee` (the record's assignee, else its
   * owner) or a user id. @defaultValue `'owner'`
   */
  assignee?: string;
}

/**
 * Give a record to someone.
 *
 * @example
 * ```ts
 * const toSupport: AssignAction = { action: 'assign', teamId: 'support' };
 * ```
 */
export interface AssignAction {
  /** `assign`. */
  action: 'assign';
  /** Which record. @defaultValue `'record'` */
  target?: ActionTarget;
  /** The new owner. */
  ownerId?: string;
  /** The new team. */
  teamId?: string;
  /** The new assignee (interactions and tickets). */
  assigneeId?: string;
}

/**
 * Add tags (customers and tickets).
 *
 * @example
 * ```ts
 * const tag: TagAction = { action: 'tag', target: 'customer', tags: ['buyer'] };
 * ```
 */
export interface TagAction {
  /** `tag`. */
  action: 'tag';
  /** Which record. @defaultValue `'record'` */
  target?: ActionTarget;
  /** Tags to add (kept ones stay). */
  tags: string[];
}

/**
 * Apply a JSON Merge Patch of fields.
 *
 * @example
 * ```ts
 * const promote: UpdateAction = { action: 'update', target: 'customer', patch: { lifecycle: 'customer' } };
 * ```
 */
export interface UpdateAction {
  /** `update`. */
  action: 'update';
  /** Which record. @defaultValue `'record'` */
  target?: ActionTarget;
  /** The patch, as `update` takes it. */
  patch: Record<string, unknown>;
}

/**
 * One declarative action of a rule.
 *
 * @example
 * ```ts
 * const a: AutomationAction = { action: 'tag', target: 'customer', tags: ['buyer'] };
 * ```
 */
export type AutomationAction = PlanInteractionAction | AssignAction | TagAction | UpdateAction;

/**
 * A stored automation rule.
 *
 * @example
 * ```ts
 * const rule: AutomationRule = await crm.automations.add({ name: 'Thank the buyer', on: 'deal.won',
 *   do: [{ action: 'planInteraction', type: 'call', subject: 'Thank-you call', in: { days: 2 } }] });
 * ```
 */
export interface AutomationRule extends RecordBase {
  /** The rule's name. */
  name: string;
  /** What it is for. */
  description?: string;
  /** The event that triggers it, e.g. `deal.won`; see `TRIGGERS`. */
  on: string;
  /** Only records matching this filter (the query language of `find`, public fields). */
  where?: Filter;
  /** What it does, in order, in one atomic write. */
  do: AutomationAction[];
  /** Whether it runs. @defaultValue true */
  enabled: boolean;
  /** Custom fields (rules have none). */
  custom: Record<string, unknown>;
}

/**
 * One write an automation run made.
 *
 * @example
 * ```ts
 * const w: AutomationWrite = { collection: 'interactions', id: '01J…', op: 'create' };
 * ```
 */
export interface AutomationWrite {
  /** The collection written. */
  collection: string;
  /** The record written. */
  id: string;
  /** `create` or `update`. */
  op: 'create' | 'update';
}

/**
 * What one run of one rule did (or why it failed), keyed by rule and triggering change.
 *
 * @example
 * ```ts
 * const { items } = await crm.automations.runs({ ruleId: rule.id, status: 'failed' });
 * ```
 */
export interface AutomationRun extends RecordBase {
  /** The rule. */
  ruleId: string;
  /** The rule's name when it ran. */
  ruleName: string;
  /** The event that triggered it. */
  event: string;
  /** The triggering record's collection. */
  collection: string;
  /** The triggering record. */
  recordId: string;
  /** The audit entry of the triggering change. */
  auditId: string;
  /** The triggering audit entry's `seq` in the change feed. */
  seq: number;
  /** When the triggering change was stored. */
  triggeredAt: string;
  /** `ran` or `failed`. */
  status: 'ran' | 'failed';
  /** What it wrote. */
  writes: AutomationWrite[];
  /** Why it failed. */
  error?: {
    /** The error's class name, e.g. `ValidationError` (`Error` when a non-error value was thrown). */
    name: string;
    /** The `CrmError` code, e.g. `validation_failed`; `internal` for any other error. */
    code: string;
    /** The error's message (the thrown value as a string when it was not an error). */
    message: string;
  };
  /** Custom fields (none). */
  custom: Record<string, unknown>;
}

const nonNegative = z.number().check(z.refine((v) => Number.isFinite(v) && v >= 0 && v <= 3650 * 24 * 60, { message: 'must be a number from 0 up' }));
const delay = z.strictObject({ days: z.optional(nonNegative), hours: z.optional(nonNegative), minutes: z.optional(nonNegative) });
const target = z.optional(z.enum(['record', 'customer']));
const action = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('planInteraction'),
    type: z.enum(['call', 'email', 'meeting', 'note', 'sms', 'letter', 'visit', 'chat', 'task']),
    subject: requiredText(1000),
    body: z.optional(text(100_000)),
    in: delay,
    remindBefore: z.optional(delay),
    assignee: z.optional(idString),
  }),
  z.strictObject({ action: z.literal('assign'), target, ownerId: z.optional(idString), teamId: z.optional(idString), assigneeId: z.optional(idString) }),
  z.strictObject({ action: z.literal('tag'), target, tags: tags.check(z.minLength(1)) }),
  z.strictObject({ action: z.literal('update'), target, patch: z.record(z.string(), z.unknown()) }),
]);

/**
 * The automation rule entity module. Triggers, filters and targets are checked by `crm.automations`.
 *
 * @example
 * ```ts
 * MODULES.includes(automationsModule); // registered in src/api/registry.ts
 * ```
 */
export const automationsModule: EntityModule = {
  collection: 'automations',
  singular: 'automation',
  shape: {
    name: requiredText(500),
    description: z.optional(text(10_000)),
    on: z.string().check(z.regex(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/, { message: 'must be an event name such as deal.won' })),
    where: z.optional(z.record(z.string(), z.unknown())),
    do: z.array(action).check(z.minLength(1), z.maxLength(20)),
    enabled: z._default(z.boolean(), true),
  },
  indexes: [
    { name: 'name', fields: ['name'] },
    { name: 'on', fields: ['on'] },
  ],
  defaultOrder: [{ field: 'name', direction: 'asc' }],
};

/**
 * The module of stored automation runs (written only by the automation job).
 *
 * @example
 * ```ts
 * MODULES.includes(automationRunsModule); // registered in src/api/registry.ts
 * ```
 */
export const automationRunsModule: EntityModule = {
  collection: 'automationRuns',
  singular: 'automationRun',
  shape: {
    ruleId: idString,
    ruleName: text(500),
    event: text(100),
    collection: text(64),
    recordId: idString,
    auditId: idString,
    seq: z.number(),
    triggeredAt: dateTime,
    status: z.enum(['ran', 'failed']),
    writes: z.array(z.strictObject({ collection: text(64), id: idString, op: z.enum(['create', 'update']) })),
    error: z.optional(z.strictObject({ name: text(100), code: text(100), message: text(10_000) })),
  },
  indexes: [
    { name: 'ruleId_createdAt', fields: ['ruleId', 'createdAt'] },
    { name: 'status_createdAt', fields: ['status', 'createdAt'] },
    { name: 'recordId', fields: ['recordId'] },
  ],
  defaultOrder: [{ field: 'createdAt', direction: 'desc' }],
};
