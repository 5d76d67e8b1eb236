/**
 * Campaigns: a marketing effort with a channel, a period, a cost and a status. Customers
 * are attributed to a campaign through `source.campaignId`, deals through `campaignId`;
 * `crm.reports.campaignPerformance` turns that into acquisitions, revenue and ROI.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { EntityModule } from '../engine/entity';
import type { Money, RecordBase } from '../engine/types';
import { ValidationError } from '../errors';
import { dateTime, money, requiredText, tags, text } from './common';

/**
 * Where a campaign stands.
 *
 * @example
 * ```ts
 * const s: CampaignStatus = 'active';
 * ```
 */
export type CampaignStatus = 'planned' | 'active' | 'paused' | 'completed';

/**
 * The campaign statuses, in their usual order.
 *
 * @example
 * ```ts
 * CAMPAIGN_STATUSES.includes('paused'); // true
 * ```
 */
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['planned', 'active', 'paused', 'completed'];

/**
 * A campaign.
 *
 * @typeParam Custom - the custom fields' type.
 * @example
 * ```ts
 * const spring: Campaign = await crm.campaigns.create({ name: 'Spring newsletter', channel: 'email',
 *   cost: { amount: 150_000, currency: 'EUR' }, startsAt: '2024-03-01T00:00:00Z', endsAt: '2024-03-31T00:00:00Z' });
 * ```
 */
export interface Campaign<Custom = Record<string, unknown>> extends RecordBase {
  /** The campaign's name. */
  name: string;
  /** The channel it runs on, e.g. `email`, `ads`, `event`, `referral`. */
  channel?: string;
  /** What it cost (all of it, not prorated to a report's period). */
  cost?: Money;
  /** What it may cost. */
  budget?: Money;
  /** When it starts. */
  startsAt?: string;
  /** When it ends (not before `startsAt`). */
  endsAt?: string;
  /** Where it stands. @defaultValue `'planned'` */
  status: CampaignStatus;
  /** What it is about. */
  description?: string;
  /** Free tags. */
  tags: string[];
  /** Custom fields. */
  custom: Custom;
}

/**
 * The campaign entity module.
 *
 * @example
 * ```ts
 * MODULES.includes(campaignsModule); // registered in src/api/registry.ts
 * ```
 */
export const campaignsModule: EntityModule = {
  collection: 'campaigns',
  singular: 'campaign',
  shape: {
    name: requiredText(500),
    channel: z.optional(text(100)),
    cost: z.optional(money),
    budget: z.optional(money),
    startsAt: z.optional(dateTime),
    endsAt: z.optional(dateTime),
    status: z._default(z.enum(['planned', 'active', 'paused', 'completed']), 'planned'),
    description: z.optional(text(100_000)),
    tags: z._default(tags, () => []),
  },
  indexes: [
    { name: 'name', fields: ['name'] },
    { name: 'status', fields: ['status'] },
    { name: 'channel', fields: ['channel'] },
    { name: 'startsAt', fields: ['startsAt'] },
  ],
  search: [
    { path: 'name', tag: 'n', weight: 10, kind: 'text' },
    { path: 'tags', tag: 't', weight: 4, kind: 'text' },
    { path: 'description', tag: 'x', weight: 1, kind: 'text' },
  ],
  defaultOrder: [{ field: 'name', direction: 'asc' }],
  prepare(next) {
    const starts = next['startsAt'] as string | undefined;
    const ends = next['endsAt'] as string | undefined;
    if (starts !== undefined && ends !== undefined && ends < starts) {
      throw new ValidationError([{ path: ['endsAt'], message: `must not be before startsAt (${starts})`, code: 'invalid_value' }], {
        collection: 'campaigns',
        recordId: next['id'] as string | undefined,
      });
    }
  },
};
