/**
 * zod/mini building blocks shared by the entity schemas.
 *
 * @internal
 * @module
 */
import * as z from 'zod/mini';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO 8601 date-time with a zone, normalized to the fixed UTC form `YYYY-MM-DDTHH:mm:ss.sssZ` so dates order as strings. */
export const dateTime = z.pipe(
  z.string().check(
    z.refine((v) => ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)), {
      message: 'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z',
    }),
  ),
  z.transform((v) => new Date(v).toISOString()),
);

/** Whether a `YYYY-MM-DD` string names a real calendar day. */
export function isCalendarDate(v: string): boolean {
  if (!ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** A calendar date `YYYY-MM-DD`. */
export const calendarDate = z.string().check(z.refine(isCalendarDate, { message: 'must be a calendar date YYYY-MM-DD' }));

/** A non-empty id string. */
export const idString = z.string().check(
  z.minLength(1),
  z.maxLength(128),
  z.refine((v) => !/[\u0000-\u001f]/.test(v), { message: 'must not contain control characters' }),
);

/** Text of bounded length. */
export const text = (max = 10_000) => z.string().check(z.maxLength(max));

/** Non-empty text of bounded length, trimmed. */
export const requiredText = (max = 500) =>
  z.pipe(z.string(), z.transform((v) => v.trim())).check(
    z.refine((v) => v.length > 0 && v.length <= max, { message: `must be 1 to ${max} characters` }),
  );

/** Money in integer minor units with an ISO 4217 currency. */
export const money = z.strictObject({
  amount: z.int().check(z.refine(Number.isSafeInteger, { message: 'must be a safe integer of minor units' })),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as EUR' })),
});

/** An email address. */
export const email = z.email({ message: 'must be an email address' });

/** A phone number as people write it: digits with spaces, dashes, dots, parentheses and a leading +. */
export const phone = z.string().check(
  z.regex(/^\+?[0-9\u0660-\u0669\u06f0-\u06f9 ().\-/]{3,40}$/, { message: 'must be a phone number' }),
  z.refine((v) => (v.match(/[0-9\u0660-\u0669\u06f0-\u06f9]/g)?.length ?? 0) >= 3, { message: 'must have at least 3 digits' }),
);

/** An absolute http(s) URL. */
export const url = z.string().check(
  z.refine(
    (v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be an http(s) URL' },
  ),
);

/** An ISO 3166-1 alpha-2 country code, uppercased. */
export const countryCode = z.pipe(
  z.string().check(z.regex(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code such as TR' })),
  z.transform((v) => v.toUpperCase()),
);

/** A list of distinct tags. */
export const tags = z.pipe(
  z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(200)),
  z.transform((v) => [...new Set(v)]),
);
