/**
 * Typed custom fields: declared per collection in `createCrm({ customFields })`, validated
 * with zod, stored under `record.custom`, queryable (`custom.loyaltyPoints`) and indexable.
 *
 * @module
 */
import * as z from 'zod/mini';
import { calendarDate, email, money, phone, url } from '../entities/common';
import type { Money } from './types';

/** What every custom field definition may say. */
export interface CustomFieldCommon {
  /** A value must be present. @defaultValue false */
  required?: boolean;
  /** `viewer` and `contributor` cannot read it. @defaultValue false */
  sensitive?: boolean;
  /** Declare a storage index on it, for fast filtering and ordering. @defaultValue false */
  indexed?: boolean;
  /** A human label for host UIs. */
  label?: string;
}

/**
 * One custom field's definition.
 *
 * @example
 * ```ts
 * const defs = {
 *   loyaltyPoints: { type: 'number', min: 0, integer: true },
 *   segment: { type: 'select', options: ['smb', 'enterprise'] },
 * } satisfies Record<string, CustomFieldDefinition>;
 * ```
 */
export type CustomFieldDefinition = CustomFieldCommon &
  (
    | {
        /** Free text. */
        type: 'text';
        /** The fewest characters allowed. @defaultValue no minimum */
        minLength?: number;
        /** The most characters allowed. @defaultValue 10000 */
        maxLength?: number;
      }
    | {
        /** A number. */
        type: 'number';
        /** The smallest value allowed. @defaultValue no minimum */
        min?: number;
        /** The largest value allowed. @defaultValue no maximum */
        max?: number;
        /** Only whole numbers are allowed. @defaultValue false */
        integer?: boolean;
      }
    | {
        /** `true` or `false`. */
        type: 'boolean';
      }
    | {
        /** A calendar date, `YYYY-MM-DD`. */
        type: 'date';
        /** The earliest date allowed (`YYYY-MM-DD`). @defaultValue no minimum */
        min?: string;
        /** The latest date allowed (`YYYY-MM-DD`). @defaultValue no maximum */
        max?: string;
      }
    | {
        /** One value out of a list. */
        type: 'select';
        /** The values allowed (at least one). */
        options: readonly string[];
      }
    | {
        /** Any number of values out of a list (duplicates are dropped). */
        type: 'multiSelect';
        /** The values allowed (at least one). */
        options: readonly string[];
        /** The fewest values allowed. @defaultValue no minimum */
        min?: number;
        /** The most values allowed. @defaultValue the number of options */
        max?: number;
      }
    | {
        /** An amount of money, as {@link Money}. */
        type: 'money';
        /** The only currency allowed (ISO 4217). @defaultValue any currency */
        currency?: string;
        /** The smallest amount allowed, in minor units. @defaultValue no minimum */
        min?: number;
        /** The largest amount allowed, in minor units. @defaultValue no maximum */
        max?: number;
      }
    | {
        /** An email address. */
        type: 'email';
      }
    | {
        /** A phone number. */
        type: 'phone';
      }
    | {
        /** A URL. */
        type: 'url';
      }
  );

/** The type names of custom fields. */
export type CustomFieldType = CustomFieldDefinition['type'];

/** Custom field definitions by collection, then by field name. */
export type CustomFieldsConfig = { readonly [collection: string]: { readonly [field: string]: CustomFieldDefinition } };

/** The TypeScript type of one custom field's value. */
export type CustomFieldValue<D> = D extends {
  /** A number field holds a `number`. */
  type: 'number';
}
  ? number
  : D extends {
        /** A boolean field holds a `boolean`. */
        type: 'boolean';
      }
    ? boolean
    : D extends {
          /** A select field holds one of its options. */
          type: 'select';
          /** The options, whose literal types become the value's type. */
          options: readonly (infer O)[];
        }
      ? O
      : D extends {
            /** A multi-select field holds an array of its options. */
            type: 'multiSelect';
            /** The options, whose literal types become the elements' type. */
            options: readonly (infer O)[];
          }
        ? O[]
        : D extends {
              /** A money field holds a {@link Money}. */
              type: 'money';
            }
          ? Money
          : string;

/**
 * Flattens an intersection into one object type with the same fields, so editors and the
 * docs show `custom` as plain fields.
 *
 * @example
 * ```ts
 * type C = Simplify<{ a: number } & { b?: string }>; // { a: number; b?: string }
 * ```
 */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The `custom` object of a record, inferred from its definitions: required fields are
 * required, the rest optional.
 *
 * @example
 * ```ts
 * type C = CustomValues<{ points: { type: 'number'; required: true }; vip: { type: 'boolean' } }>;
 * // { points: number; vip?: boolean }
 * ```
 */
export type CustomValues<Defs> = [Defs] extends [{ readonly [field: string]: CustomFieldDefinition }]
  ? string extends keyof Defs
    ? Record<string, unknown>
    : Simplify<
        {
          -readonly [K in keyof Defs as Defs[K] extends {
            /** The field is declared required, so its key is required. */
            required: true;
          }
            ? K
            : never]: CustomFieldValue<Defs[K]>;
        } & {
          -readonly [K in keyof Defs as Defs[K] extends {
            /** The field is declared required, so its key is left out of the optional ones. */
            required: true;
          }
            ? never
            : K]?: CustomFieldValue<Defs[K]>;
        }
      >
  : Record<string, unknown>;

/** The custom values of one collection under a config. */
export type CustomOf<C, Collection extends string> = C extends { readonly [K in Collection]: infer Defs } ? CustomValues<Defs> : Record<string, never>;

function fieldSchema(def: CustomFieldDefinition): z.ZodMiniType {
  switch (def.type) {
    case 'text': {
      const base = z.string().check(z.maxLength(def.maxLength ?? 10_000));
      return def.minLength === undefined ? base : base.check(z.minLength(def.minLength));
    }
    case 'number': {
      const { min, max } = def;
      const base = def.integer ? z.int() : z.number();
      return base.check(
        z.refine((v) => (min === undefined || v >= min) && (max === undefined || v <= max), {
          message: min !== undefined && max !== undefined ? `must be from ${min} to ${max}` : min !== undefined ? `must be at least ${min}` : `must be at most ${max}`,
        }),
      );
    }
    case 'boolean':
      return z.boolean();
    case 'date': {
      const { min, max } = def;
      return calendarDate.check(
        z.refine((v) => (min === undefined || v >= min) && (max === undefined || v <= max), {
          message: `must be between ${min ?? 'any date'} and ${max ?? 'any date'}`,
        }),
      );
    }
    case 'select':
      return z.enum(def.options as [string, ...string[]]);
    case 'multiSelect': {
      const list = z.array(z.enum(def.options as [string, ...string[]])).check(z.maxLength(def.max ?? def.options.length));
      return z.pipe(def.min === undefined ? list : list.check(z.minLength(def.min)), z.transform((v) => [...new Set(v)]));
    }
    case 'money': {
      const { currency, min, max } = def;
      return money.check(
        z.refine((m) => currency === undefined || m.currency === currency, { message: `currency must be ${currency}` }),
        z.refine((m) => (min === undefined || m.amount >= min) && (max === undefined || m.amount <= max), {
          message: `amount must be between ${min ?? '-∞'} and ${max ?? '∞'}`,
        }),
      );
    }
    case 'email':
      return email;
    case 'phone':
      return phone;
    case 'url':
      return url;
  }
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const TYPES = new Set<string>(['text', 'number', 'boolean', 'date', 'select', 'multiSelect', 'money', 'email', 'phone', 'url']);

/**
 * Check custom field definitions at start.
 * @returns a list of problems (empty when fine).
 */
export function customFieldProblems(collection: string, defs: Record<string, CustomFieldDefinition>): string[] {
  const problems: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    const where = `customFields.${collection}.${name}`;
    if (!NAME.test(name)) problems.push(`${where}: a field name starts with a letter and holds letters, digits and _`);
    if (!TYPES.has((def as { type: string }).type)) problems.push(`${where}: unknown type "${String((def as { type: unknown }).type)}"`);
    const bounds = def as { min?: unknown; max?: unknown; minLength?: unknown; maxLength?: unknown };
    if ((typeof bounds.min === 'number' || typeof bounds.min === 'string') && typeof bounds.max === typeof bounds.min && (bounds.min as number) > (bounds.max as number)) {
      problems.push(`${where}: min is greater than max`);
    }
    if (typeof bounds.minLength === 'number' && typeof bounds.maxLength === 'number' && bounds.minLength > bounds.maxLength) {
      problems.push(`${where}: minLength is greater than maxLength`);
    }
    if ((def.type === 'select' || def.type === 'multiSelect') && (!Array.isArray(def.options) || def.options.length === 0)) {
      problems.push(`${where}: a ${def.type} field needs at least one option`);
    }
  }
  return problems;
}

/** The zod schema of a collection's `custom` object. */
export function customSchema(defs: Record<string, CustomFieldDefinition>): z.ZodMiniType<Record<string, unknown>> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [name, def] of Object.entries(defs)) {
    const s = fieldSchema(def);
    shape[name] = def.required ? s : z.optional(s);
  }
  return z.strictObject(shape) as unknown as z.ZodMiniType<Record<string, unknown>>;
}
