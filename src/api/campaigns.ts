/**
 * `crm.campaigns`: the generic verbs over campaigns; a campaign customers or deals are
 * attributed to cannot be deleted (archive it instead).
 *
 * @module
 */
import { ConflictError, ConstraintError } from '../errors';
import type { Campaign } from '../entities/campaigns';
import { throwIfAborted } from '../engine/guard';
import { planDelete, readForWrite } from '../engine/write';
import { makeRepository } from './repository';
import type { View } from './repository';
import type { EntityInput, Repository } from './types';

/**
 * What `crm.campaigns.create` takes.
 *
 * @example
 * ```ts
 * const input: CampaignInput = { name: 'Trade fair', channel: 'event', cost: { amount: 500_000, currency: 'EUR' } };
 * ```
 */
export type CampaignInput<Custom = Record<string, unknown>> = EntityInput<Campaign<Custom>, 'name'>;

/**
 * `crm.campaigns`.
 * @typeParam Custom - the campaigns' custom fields.
 * @example
 * ```ts
 * const spring = await crm.campaigns.create({ name: 'Spring newsletter', channel: 'email', status: 'active',
 *   cost: { amount: 150_000, currency: 'EUR' }, startsAt: '2024-03-01T00:00:00Z', endsAt: '2024-03-31T00:00:00Z' });
 * await crm.customers.create({ name: 'Ada', source: { channel: 'email', campaignId: spring.id } });
 * ```
 */
export interface CampaignsApi<Custom = Record<string, unknown>> extends Repository<Campaign<Custom>, CampaignInput<Custom>> {}

/**
 * Build `crm.campaigns` for a view.
 *
 * @example
 * ```ts
 * const campaigns = makeCampaigns(ctx); // what crm.campaigns is
 * ```
 */
export function makeCampaigns<Custom>(ctx: View): CampaignsApi<Custom> {
  const entity = ctx.engine.entity('campaigns');
  const repo = makeRepository<Campaign<Custom>, CampaignInput<Custom>>(ctx, entity);
  return {
    ...repo,
    async delete(id, options) {
      throwIfAborted(options?.signal);
      const current = await readForWrite(ctx, entity, id);
      if (options?.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new ConflictError('campaigns', id, options.expectedVersion, current.version);
      }
      const planned = await planDelete(ctx, entity, current);
      // Attribution is not a declared reference (it lives in customers' `source`): checked here, unscoped.
      for (const [collection, field] of [['customers', '_campaignId'], ['deals', 'campaignId'], ['interactions', 'campaignId']] as const) {
        if (!ctx.engine.entities.has(collection)) continue;
        const page = await ctx.session.query(collection, { where: { field, op: 'eq', value: id }, limit: 10 });
        if (page.items.length) {
          throw new ConstraintError(
            `campaign ${id} is still attributed to ${collection}; archive it instead`,
            { constraint: 'referenced', index: `${collection}.${field === '_campaignId' ? 'source.campaignId' : field}`, fields: [field === '_campaignId' ? 'source.campaignId' : field], conflictingIds: page.items.map((r) => r.id) },
            { collection: 'campaigns', recordId: id },
          );
        }
      }
      await ctx.session.commit(planned.ops, planned.effects);
    },
  };
}
