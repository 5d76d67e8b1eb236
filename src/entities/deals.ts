/**
 * Deals: a sale in progress or closed, moving through the stages of a pipeline. The
 * engine keeps `status` and `stageHistory`; the verbs of `crm.deals` (`moveToStage`, `win`,
 * `lose`, `reopen`) are the only way to change stage.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { EntityModule } from '../engine/entity';
import { ValidationError } from '../errors';
import type { Money, RecordBase } from '../engine/types';
import { dateTime, idString, money, requiredText, text } from './common';

/** Where a deal stands: the category of its stage. */
export type DealStatus = 'open' | 'won' | 'lost';

/**
 * One stay of a deal in a stage, kept by rapport.
 *
 * @example
 * ```ts
 * const entry: StageHistoryEntry = { stageId: 'qualified', enteredAt: '2024-05-01T09:00:00.000Z', leftAt: '2024-05-08T10:00:00.000Z', by: 'u-ann' };
 * ```
 */
export interface StageHistoryEntry {
  /** The stage. */
  stageId: string;
  /** When the deal entered it. */
  enteredAt: string;
  /** When it left (absent for the current stage). */
  leftAt?: string;
  /** Who moved it there. */
  by: string;
}

/**
 * A deal.
 *
 * @typeParam Custom - the custom fields' type.
 */
export interface Deal<Custom = Record<string, unknown>> extends RecordBase {
  /** What is being sold, e.g. `Acme — 40 seats`. */
  title: string;
  /** The customer (optional: a deal may be recorded before its account is known). */
  customerId?: string;
  /** The pipeline. */
  pipelineId: string;
  /** The current stage, one of the pipeline's stage ids. */
  stageId: string;
  /** `open`, `won` or `lost`: the category of the current stage (kept by rapport). */
  status: DealStatus;
  /** The deal's value. */
  value?: Money;
  /** When the deal was opened. @defaultValue now */
  openedAt: string;
  /** When it is expected to close (forecasts use it). */
  expectedCloseAt?: string;
  /** When it was won or lost (set by `win`/`lose`; may be given when recording the past). */
  closedAt?: string;
  /** Why it was lost. */
  lostReason?: string;
  /** The campaign it came from. */
  campaignId?: string;
  /** Where it came from, e.g. `referral` (win rates group by it). */
  source?: string;
  /** Notes. */
  description?: string;
  /** Every stage the deal has been in, oldest first (kept by rapport, never written by callers). */
  stageHistory: StageHistoryEntry[];
  /** Custom fields. */
  custom: Custom;
}

/** Fields of a deal only rapport writes. */
export const DEAL_ENGINE_FIELDS = ['status', 'stageHistory'] as const;

/** Fields changed only through the deal verbs, never through `update`. */
export const DEAL_VERB_FIELDS = ['pipelineId', 'stageId', 'closedAt'] as const;

const DAY_MS = 86_400_000;

/** Separates stage ids in `_path` (a control character, which ids cannot hold). */
export const PATH_SEPARATOR = '\u001f';

function pathOf(history: StageHistoryEntry[] | undefined): string | undefined {
  if (!history?.length) return undefined;
  const seen: string[] = [];
  for (const e of history) if (!seen.includes(e.stageId)) seen.push(e.stageId);
  return seen.join(PATH_SEPARATOR);
}

function staysOf(history: StageHistoryEntry[] | undefined, days: boolean): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const e of history ?? []) {
    if (e.leftAt === undefined) continue;
    out[e.stageId] = (out[e.stageId] ?? 0) + (days ? (Date.parse(e.leftAt) - Date.parse(e.enteredAt)) / DAY_MS : 1);
  }
  return Object.keys(out).length ? out : undefined;
}

/** The deal entity module. */
export const dealsModule: EntityModule = {
  collection: 'deals',
  singular: 'deal',
  shape: {
    title: requiredText(500),
    customerId: z.optional(idString),
    pipelineId: idString,
    stageId: z.optional(idString),
    status: z.optional(z.enum(['open', 'won', 'lost'])),
    value: z.optional(money),
    openedAt: z.optional(dateTime),
    expectedCloseAt: z.optional(dateTime),
    closedAt: z.optional(dateTime),
    lostReason: z.optional(text(1000)),
    campaignId: z.optional(idString),
    source: z.optional(text(100)),
    description: z.optional(text(100_000)),
    stageHistory: z.optional(
      z.array(z.strictObject({ stageId: idString, enteredAt: dateTime, leftAt: z.optional(dateTime), by: idString })).check(z.maxLength(10_000)),
    ),
  },
  engineFields: [...DEAL_ENGINE_FIELDS],
  indexes: [
    { name: 'pipelineId_stageId', fields: ['pipelineId', 'stageId'] },
    { name: 'status_closedAt', fields: ['status', 'closedAt'] },
    { name: 'status_expectedCloseAt', fields: ['status', 'expectedCloseAt'] },
    { name: 'closedAt', fields: ['closedAt'] },
    { name: 'expectedCloseAt', fields: ['expectedCloseAt'] },
    { name: 'openedAt', fields: ['openedAt'] },
    { name: 'customerId', fields: ['customerId'] },
    { name: 'campaignId', fields: ['campaignId'] },
    { name: '_currency', fields: ['_currency'] },
  ],
  // Flat copies of nested and computed values, so indexes, filters and `aggregate` (and a
  // SQL adapter's GROUP BY) reach them as plain columns.
  derived: [
    { field: '_amount', path: 'value.amount', compute: (r) => (r['value'] as Money | undefined)?.amount },
    { field: '_currency', path: 'value.currency', compute: (r) => (r['value'] as Money | undefined)?.currency },
    {
      field: '_cycleDays',
      compute: (r) => (typeof r['closedAt'] === 'string' && typeof r['openedAt'] === 'string' ? (Date.parse(r['closedAt']) - Date.parse(r['openedAt'])) / DAY_MS : undefined),
    },
    // The stage history folded into flat figures, so the stage funnel is one aggregate:
    // the stages visited in order of first visit, and per stage the finished stays and
    // their total days.
    { field: '_path', compute: (r) => pathOf(r['stageHistory'] as StageHistoryEntry[] | undefined) },
    { field: '_stays', compute: (r) => staysOf(r['stageHistory'] as StageHistoryEntry[] | undefined, false) },
    { field: '_stayDays', compute: (r) => staysOf(r['stageHistory'] as StageHistoryEntry[] | undefined, true) },
  ],
  search: [{ path: 'title', tag: 'n', weight: 10, kind: 'text' }],
  references: [
    { field: 'customerId', collection: 'customers' },
    { field: 'pipelineId', collection: 'pipelines' },
  ],
  prepare(next, previous) {
    // A corrected openedAt moves the start of the first stay with it.
    if (!previous || next['openedAt'] === previous['openedAt']) return;
    const history = (next['stageHistory'] ?? []) as StageHistoryEntry[];
    const openedAt = next['openedAt'] as string;
    const first = history[0];
    const limit = first?.leftAt ?? (next['closedAt'] as string | undefined);
    if (limit !== undefined && openedAt > limit) {
      throw new ValidationError([{ path: ['openedAt'], message: `must not be after ${first?.leftAt ? 'the deal left its first stage' : 'closedAt'} (${limit})`, code: 'invalid_value' }], {
        collection: 'deals',
        recordId: next['id'] as string | undefined,
      });
    }
    if (first) next['stageHistory'] = [{ ...first, enteredAt: openedAt }, ...history.slice(1)];
  },
};
