/**
 * Customers: people and organizations, with their contact points, lifecycle, consent and
 * segmentation fields.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { EntityModule } from '../engine/entity';
import type { RecordBase } from '../engine/types';
import { calendarDate, countryCode, dateTime, email, idString, phone, requiredText, tags, text } from './common';

/** Where a customer is in the funnel. */
export type Lifecycle = 'lead' | 'prospect' | 'customer' | 'churned';

/** The lifecycle stages, in funnel order. */
export const LIFECYCLES: readonly Lifecycle[] = ['lead', 'prospect', 'customer', 'churned'];

/** A consent record for one channel: what was agreed, when, and how we know. */
export interface Consent {
  /** `granted`, `denied`, or `unknown`. */
  status: 'granted' | 'denied' | 'unknown';
  /** When it was given or withdrawn. */
  at: string;
  /** How it was collected, e.g. `signup-form`. */
  source?: string;
}

/**
 * A customer: a person or an organization.
 *
 * @typeParam Custom - the custom fields' type, inferred from `createCrm({ customFields })`.
 */
export interface Customer<Custom = Record<string, unknown>> extends RecordBase {
  /** A person or an organization. */
  kind: 'person' | 'organization';
  /** Full name or company name. */
  name: string;
  /** Email addresses. */
  emails: {
    /** The address itself. */
    address: string;
    /** What kind of address it is, e.g. `work` or `home`. */
    label?: string;
    /** Whether it is the address to use first. */
    primary?: boolean;
  }[];
  /** Phone numbers, as people write them. */
  phones: {
    /** The number, as given (digits are compared for duplicates and search). */
    number: string;
    /** What kind of number it is, e.g. `mobile` or `office`. */
    label?: string;
    /** Whether it is the number to use first. */
    primary?: boolean;
  }[];
  /** Postal addresses; `country` (ISO 3166-1 alpha-2), `region` and `city` drive geographic segments. */
  addresses: {
    /** What kind of address it is, e.g. `billing` or `shipping`. */
    label?: string;
    /** Street and number, possibly on several lines. */
    street?: string;
    /** City or town. */
    city?: string;
    /** State, province or county. */
    region?: string;
    /** Postal or ZIP code. */
    postalCode?: string;
    /** ISO 3166-1 alpha-2 country code, e.g. `TR`. */
    country?: string;
  }[];
  /** For a person: the organization they belong to. */
  organizationId?: string;
  /** Where the customer is in the funnel. @defaultValue `'lead'` */
  lifecycle: Lifecycle;
  /** Every lifecycle stage entered, oldest first (kept by rapport; may be given on create, e.g. by an import). */
  lifecycleHistory: {
    /** The stage entered. */
    stage: Lifecycle;
    /** When it was entered (ISO 8601). */
    at: string;
  }[];
  /** A service tier such as `vip`. */
  tier?: string;
  /** Set when the company will not sell to this customer. */
  blocked?: {
    /** Why the company will not sell to this customer. */
    reason: string;
    /** When the block began (ISO 8601); set to the time of the write when omitted. */
    since?: string;
  };
  /** Free tags. */
  tags: string[];
  /** Where the customer heard of us. */
  source?: {
    /** The channel, e.g. `referral`, `ads` or `fair`. */
    channel?: string;
    /** The campaign that brought the customer in. */
    campaignId?: string;
    /** Any further detail, e.g. who referred them. */
    detail?: string;
  };
  /** Dates to remember, e.g. a birthday (`YYYY-MM-DD`, or `--MM-DD` without a year). */
  importantDates: {
    /** What the date is, e.g. `birthday` or `anniversary`. */
    kind: string;
    /** `YYYY-MM-DD`, or `--MM-DD` without a year; it recurs every year. */
    date: string;
    /** A human label for host UIs. */
    label?: string;
  }[];
  /** Consent per channel (`email`, `sms`, `phone`, `mail`, …). */
  consent: Record<string, Consent>;
  /** Free-form notes. */
  notes?: string;
  /** Custom fields. */
  custom: Custom;
}

const lifecycle = z.enum(['lead', 'prospect', 'customer', 'churned']);
const yearlessOrFullDate = z.union([calendarDate, z.string().check(z.regex(/^--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/))]);

/** The customer entity module. */
export const customersModule: EntityModule = {
  collection: 'customers',
  singular: 'customer',
  shape: {
    kind: z._default(z.enum(['person', 'organization']), 'person'),
    name: requiredText(500),
    emails: z._default(z.array(z.strictObject({ address: email, label: z.optional(text(50)), primary: z.optional(z.boolean()) })).check(z.maxLength(50)), () => []),
    phones: z._default(z.array(z.strictObject({ number: phone, label: z.optional(text(50)), primary: z.optional(z.boolean()) })).check(z.maxLength(50)), () => []),
    addresses: z._default(
      z.array(
        z.strictObject({
          label: z.optional(text(50)),
          street: z.optional(text(500)),
          city: z.optional(text(200)),
          region: z.optional(text(200)),
          postalCode: z.optional(text(20)),
          country: z.optional(countryCode),
        }),
      ).check(z.maxLength(20)),
      () => [],
    ),
    organizationId: z.optional(idString),
    lifecycle: z._default(lifecycle, 'lead'),
    lifecycleHistory: z.optional(z.array(z.strictObject({ stage: lifecycle, at: dateTime })).check(z.maxLength(100))),
    tier: z.optional(text(50)),
    blocked: z.optional(z.strictObject({ reason: requiredText(1000), since: z.optional(dateTime) })),
    tags: z._default(tags, () => []),
    source: z.optional(z.strictObject({ channel: z.optional(text(100)), campaignId: z.optional(idString), detail: z.optional(text(500)) })),
    importantDates: z._default(z.array(z.strictObject({ kind: requiredText(50), date: yearlessOrFullDate, label: z.optional(text(200)) })).check(z.maxLength(20)), () => []),
    consent: z._default(
      z.record(z.string().check(z.regex(/^[a-z][a-z0-9_-]{0,31}$/)), z.strictObject({ status: z.enum(['granted', 'denied', 'unknown']), at: dateTime, source: z.optional(text(200)) })),
      () => ({}),
    ),
    notes: z.optional(text(100_000)),
  },
  engineFields: ['lifecycleHistory'],
  indexes: [
    { name: 'name', fields: ['name'] },
    { name: 'lifecycle', fields: ['lifecycle'] },
    { name: 'tier', fields: ['tier'] },
    { name: 'tags', fields: ['tags'], multiEntry: true },
    { name: 'organizationId', fields: ['organizationId'] },
    { name: '_country', fields: ['_country'], multiEntry: true },
    { name: '_campaignId', fields: ['_campaignId'] },
  ],
  derived: [
    { field: '_country', path: 'addresses.country', compute: (r) => [...new Set((r['addresses'] as { country?: string }[] | undefined)?.flatMap((a) => (a.country ? [a.country] : [])) ?? [])] },
    { field: '_campaignId', path: 'source.campaignId', compute: (r) => (r['source'] as { campaignId?: string } | undefined)?.campaignId },
  ],
  search: [
    { path: 'name', tag: 'n', weight: 10, kind: 'text' },
    { path: 'emails.address', tag: 'e', weight: 8, kind: 'email' },
    { path: 'phones.number', tag: 'p', weight: 8, kind: 'phone' },
    { path: 'tags', tag: 't', weight: 4, kind: 'text' },
    { path: 'addresses.city', tag: 'a', weight: 2, kind: 'text' },
    { path: 'notes', tag: 'x', weight: 1, kind: 'text' },
  ],
  references: [{ field: 'organizationId', collection: 'customers' }],
  prepare(next, previous, ctx) {
    const stage = next['lifecycle'] as Lifecycle;
    const history = (previous?.['lifecycleHistory'] ?? next['lifecycleHistory'] ?? []) as { stage: Lifecycle; at: string }[];
    if (history.length === 0 || history[history.length - 1]?.stage !== stage) {
      next['lifecycleHistory'] = [...history, { stage, at: ctx.now }];
    } else {
      next['lifecycleHistory'] = history;
    }
    const blocked = next['blocked'] as { reason: string; since?: string } | undefined;
    if (blocked && !blocked.since) blocked.since = ctx.now;
  },
};
