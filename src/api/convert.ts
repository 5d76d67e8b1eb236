/**
 * Lead conversion: `crm.customers.convert(leadId, …)` turns a lead into a prospect or a
 * customer and, optionally, opens a deal for it — one atomic write (both records and their
 * audit entries land together or not at all). The deal inherits the lead's campaign.
 *
 * @module
 */
import { ConflictError, TransitionError, ValidationError, isConflictError } from '../errors';
import type { Customer } from '../entities/customers';
import type { Deal } from '../entities/deals';
import type { WriteOptions } from '../engine/types';
import { planUpdate, readForWrite, visible } from '../engine/write';
import type { Planned } from '../engine/write';
import { planDealCreate } from './deals';
import type { DealInput } from './deals';
import type { View } from './repository';

/** Options of `crm.customers.convert`. */
export interface ConvertOptions<DealCustom = Record<string, unknown>> extends WriteOptions {
  /** The lifecycle stage the lead moves to. @defaultValue `'customer'` */
  lifecycle?: 'customer' | 'prospect';
  /**
   * A deal to open for the converted customer (its `customerId` is the lead). `campaignId`
   * defaults to the lead's `source.campaignId`, `source` to its `source.channel`.
   */
  deal?: Omit<DealInput<DealCustom>, 'customerId'>;
  /** Open the deal even though the customer is blocked. @defaultValue false */
  allowBlocked?: boolean;
}

/**
 * What `convert` returns.
 * @typeParam C - customers' custom fields. @typeParam D - deals' custom fields.
 */
export interface ConvertResult<C = Record<string, unknown>, D = Record<string, unknown>> {
  /** The customer, after conversion. */
  customer: Customer<C>;
  /** The deal opened, when one was asked for. */
  deal?: Deal<D>;
}

/**
 * Convert a lead. Audited as `convert`; emits `customer.updated`, `customer.converted`
 * (`{ record, from, to, dealId }`) and, with a deal, `deal.created`.
 *
 * @example
 * ```ts
 * const { customer, deal } = await crm.customers.convert(lead.id, { deal: { title: 'First order', pipelineId } });
 * ```
 * @throws `TransitionError` (`from` the customer's lifecycle, `to` the target) unless it is a
 * lead; `ConstraintError` `blocked` when a deal is asked for a blocked lead without
 * `allowBlocked`; `ValidationError` for an invalid deal (nothing is stored).
 */
export async function convertLead<C, D>(ctx: View, leadId: string, options: ConvertOptions<D> = {}): Promise<ConvertResult<C, D>> {
  const customers = ctx.engine.entity('customers');
  const deals = ctx.engine.entity('deals');
  const to = options.lifecycle ?? 'customer';
  if (to !== 'customer' && to !== 'prospect') {
    throw new ValidationError([{ path: ['lifecycle'], message: 'a lead converts to "customer" or "prospect"', code: 'invalid_value' }], { collection: 'customers', recordId: leadId });
  }
  if (options.deal !== undefined && (typeof options.deal !== 'object' || options.deal === null || Array.isArray(options.deal))) {
    throw new ValidationError([{ path: ['deal'], message: 'expected an object', code: 'invalid_type' }], { collection: 'deals' });
  }
  if (options.expectedVersion !== undefined) ctx.session.markExplicitVersion();
  for (let attempt = 0; ; attempt++) {
    const current = await readForWrite(ctx, customers, leadId);
    if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
      throw new ConflictError('customers', leadId, options.expectedVersion, current.version);
    }
    if (current['lifecycle'] !== 'lead') throw new TransitionError(String(current['lifecycle']), to, { collection: 'customers', recordId: leadId });
    let dealPlan: Planned | undefined;
    if (options.deal) {
      const source = current['source'] as { channel?: string; campaignId?: string } | undefined;
      const input: Record<string, unknown> = { ...(options.deal as Record<string, unknown>), customerId: leadId };
      if (input['campaignId'] === undefined && source?.campaignId !== undefined) input['campaignId'] = source.campaignId;
      if (input['source'] === undefined && source?.channel !== undefined) input['source'] = source.channel;
      const planned = await planDealCreate(ctx, deals, input, { prefix: ['deal'], allowBlocked: options.allowBlocked });
      if ('issues' in planned) throw new ValidationError(planned.issues, { collection: 'deals' });
      dealPlan = planned;
    }
    const dealId = dealPlan?.record.id;
    const customerPlan = await planUpdate(ctx, customers, current, { lifecycle: to }, {
      action: 'convert',
      events: () => [{ name: 'customer.converted', payload: { from: 'lead', to, dealId: dealId ?? null } }],
    });
    const plans = [customerPlan, dealPlan].filter((p): p is Planned => p !== undefined);
    try {
      await ctx.session.commit(plans.flatMap((p) => p.ops), plans.flatMap((p) => p.effects));
    } catch (error) {
      if (isConflictError(error) && options.expectedVersion === undefined && !ctx.session.buffered && attempt < 8) continue;
      throw error;
    }
    const result: ConvertResult<C, D> = { customer: visible(ctx, customers, customerPlan?.record ?? current) };
    if (dealPlan) result.deal = visible(ctx, deals, dealPlan.record);
    return result;
  }
}
