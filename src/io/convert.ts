/**
 * Turning spreadsheet text into typed values: the target field's type is read from the
 * entity's schema (or its custom field definition), and each cell is converted to it.
 *
 * @module
 */
import type { CompiledEntity } from '../engine/compile';
import { calendarDate, dateTime, money } from '../entities/common';

/**
 * What a field holds, as far as converting text is concerned.
 *
 * @example
 * ```ts
 * const t: FieldType = { kind: 'enum', values: ['person', 'organization'] };
 * ```
 */
export interface FieldType {
  /** The kind of value. `json` fields take JSON text (objects, arrays); `unknown` paths are passed as text. */
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'dateTime' | 'date' | 'money' | 'enum' | 'list' | 'json' | 'unknown';
  /** Allowed values of an `enum` (or a `list` of them). */
  values?: readonly string[];
  /** A money field's fixed currency. */
  currency?: string;
}

/** How text is read as numbers, dates, money and lists. */
export interface ConvertOptions {
  /**
   * The decimal mark of numbers and money: with `'.'`, `1,234.5` is 1234.5; with `','`,
   * `1.234,5` is. Thousands separators must group by three.
   * @defaultValue `'.'`
   */
  decimal?: '.' | ',';
  /**
   * How to read dates written with `/`, `.` or `-` between day, month and year (`03/04/2024`).
   * Without it such dates are refused as ambiguous; ISO dates (`2024-04-03`) always work.
   */
  dateOrder?: 'DMY' | 'MDY' | 'YMD';
  /** The currency of money cells that name none (`1,299.00`). */
  currency?: string;
  /** What separates the items of a list cell (tags, multi-select). @defaultValue `';'` */
  listSeparator?: string;
}

type Zod = { _zod: { def: Record<string, unknown> & { type: string } } };

function defOf(schema: unknown): (Record<string, unknown> & { type: string }) | undefined {
  return (schema as Zod | undefined)?._zod?.def;
}

/** The schema under optional/default/pipe wrappers, stopping at the shared building blocks. */
function unwrap(schema: unknown): unknown {
  let s = schema;
  for (let k = 0; k < 10; k++) {
    if (s === dateTime || s === calendarDate || s === money) return s;
    const def = defOf(s);
    if (!def) return s;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') s = def['innerType'];
    else if (def.type === 'pipe') s = def['in'];
    else return s;
  }
  return s;
}

function typeOfSchema(schema: unknown): FieldType {
  const s = unwrap(schema);
  if (s === dateTime) return { kind: 'dateTime' };
  if (s === calendarDate) return { kind: 'date' };
  if (s === money) return { kind: 'money' };
  const def = defOf(s);
  switch (def?.type) {
    case 'string':
    case 'union':
      return { kind: 'string' };
    case 'number':
      return { kind: def['format'] === 'safeint' || def['format'] === 'int32' ? 'integer' : 'number' };
    case 'int':
      return { kind: 'integer' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'enum':
      return { kind: 'enum', values: Object.values(def['entries'] as Record<string, string>) };
    case 'array': {
      const element = typeOfSchema(def['element']);
      if (element.kind === 'string') return { kind: 'list' };
      if (element.kind === 'enum') return { kind: 'list', values: element.values ?? [] };
      return { kind: 'json' };
    }
    case 'object':
    case 'record':
      return { kind: 'json' };
    default:
      return { kind: 'unknown' };
  }
}

function childSchema(schema: unknown, segment: string): unknown {
  const def = defOf(unwrap(schema));
  if (!def) return undefined;
  if (def.type === 'array') return /^\d+$/.test(segment) ? def['element'] : undefined;
  if (def.type === 'object') return (def['shape'] as Record<string, unknown>)[segment];
  if (def.type === 'record') return def['valueType'];
  return undefined;
}

/**
 * The type of the value at a field path of an entity (`name`, `emails.0.address`,
 * `custom.points`, `value`), for converting text to it.
 *
 * @param entity - the compiled entity.
 * @param path - a dotted path; numeric segments index arrays.
 * @returns the type; `unknown` when the path is not a field (the schema then says why).
 * @example
 * ```ts
 * fieldTypeAt(crmEntity, 'emails.0.address') // { kind: 'string' }
 * ```
 */
export function fieldTypeAt(entity: CompiledEntity, path: string): FieldType {
  const [top, ...rest] = path.split('.');
  if (top === 'custom') {
    const def = rest.length === 1 ? entity.customFields[rest[0] as string] : undefined;
    if (!def) return { kind: 'unknown' };
    switch (def.type) {
      case 'number':
        return { kind: def.integer ? 'integer' : 'number' };
      case 'boolean':
        return { kind: 'boolean' };
      case 'date':
        return { kind: 'date' };
      case 'select':
        return { kind: 'enum', values: def.options };
      case 'multiSelect':
        return { kind: 'list', values: def.options };
      case 'money':
        return def.currency === undefined ? { kind: 'money' } : { kind: 'money', currency: def.currency };
      default:
        return { kind: 'string' };
    }
  }
  if (top === 'ownerId' || top === 'teamId' || top === 'externalId' || top === 'id') return rest.length ? { kind: 'unknown' } : { kind: 'string' };
  let schema: unknown = entity.shape[top as string];
  for (const seg of rest) {
    if (schema === undefined) break;
    schema = childSchema(schema, seg);
  }
  return schema === undefined ? { kind: 'unknown' } : typeOfSchema(schema);
}

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₺': 'TRY', '₹': 'INR', '₽': 'RUB', '₩': 'KRW', '﷼': 'IRR' };
const digitsCache = new Map<string, number>();

/** The minor-unit digits of an ISO 4217 currency (2 for EUR, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    digitsCache.set(currency, d);
  }
  return d;
}

/** A decimal number written with grouping, normalized to `-1234.5` form; `undefined` when it is not one. */
function decimalText(text: string, decimal: '.' | ','): string | undefined {
  let s = text.replace(/[\s\u00a0\u202f_']/g, '');
  const group = decimal === '.' ? ',' : '.';
  if (s.includes(group)) {
    const grouped = decimal === '.' ? /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/ : /^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$/;
    if (!grouped.test(s)) return undefined;
    s = s.split(group).join('');
  }
  if (decimal === ',') s = s.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  return s.startsWith('+') ? s.slice(1) : s;
}

function parseDateParts(text: string, order: ConvertOptions['dateOrder']): string | undefined | 'ambiguous' {
  const m = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$/.exec(text);
  if (!m) return undefined;
  const [a, b, c] = [m[1], m[2], m[3]] as [string, string, string];
  // A four-digit first part can only be a year: year, month, day.
  if (a.length === 4) return `${a}-${b.padStart(2, '0')}-${c.padStart(2, '0')}`;
  if (order === undefined) return 'ambiguous';
  const [y, mo, d] = order === 'YMD' ? [a, b, c] : order === 'DMY' ? [c, b, a] : [c, a, b];
  if (y.length !== 4) return undefined;
  return `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/**
 * Convert one cell's text to a field's type.
 *
 * Numbers accept grouping by the decimal option (`1,234.5`); integers refuse fractions;
 * booleans accept `true/false`, `yes/no`, `y/n`, `1/0`, `on/off` in any case; date-times
 * accept ISO 8601 with a zone, a date alone (midnight UTC) or a date and time without a zone
 * (taken as UTC); dates accept `YYYY-MM-DD`, an ISO date-time (its date), or `dateOrder`
 * dates; money accepts an amount with an ISO code or a common symbol (`EUR 1,299.00`,
 * `€1,299`, `1299 EUR`) or the `currency` option, in minor units by the currency's digits;
 * enums match case-insensitively; lists split on `listSeparator`; `json` fields parse JSON.
 *
 * @param text - the cell, already trimmed and non-empty.
 * @param type - the target field's type.
 * @param options - how to read numbers, dates, money and lists.
 * @returns the value, or why the text cannot be one.
 * @example
 * ```ts
 * convertText('€1.299,50', { kind: 'money' }, { decimal: ',' }) // { value: { amount: 129950, currency: 'EUR' } }
 * convertText('yes', { kind: 'boolean' }, {}) // { value: true }
 * ```
 */
export function convertText(
  text: string,
  type: FieldType,
  options: ConvertOptions,
):
  | {
      /** The converted value, of the field's type. */
      value: unknown;
    }
  | {
      /** Why the text cannot be converted, e.g. `"abc" is not a number`. */
      error: string;
    } {
  const decimal = options.decimal ?? '.';
  switch (type.kind) {
    case 'string':
    case 'unknown':
      return { value: text };
    case 'number':
    case 'integer': {
      const d = decimalText(text, decimal);
      const n = d === undefined ? NaN : Number(d);
      if (!Number.isFinite(n)) return { error: `"${text}" is not a number` };
      if (type.kind === 'integer' && !Number.isSafeInteger(n)) return { error: `"${text}" is not a whole number` };
      return { value: n };
    }
    case 'boolean': {
      const t = text.toLowerCase();
      if (['true', 'yes', 'y', '1', 'on', 't'].includes(t)) return { value: true };
      if (['false', 'no', 'n', '0', 'off', 'f'].includes(t)) return { value: false };
      return { error: `"${text}" is not a yes/no value (true/false, yes/no, 1/0)` };
    }
    case 'dateTime': {
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { value: `${text}T00:00:00.000Z` };
      const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)$/.exec(text);
      if (local) return { value: `${local[1]}T${local[2]}Z` };
      const parts = parseDateParts(text, options.dateOrder);
      if (parts === 'ambiguous') return { error: `"${text}" is ambiguous: write dates as YYYY-MM-DD or set the dateOrder option` };
      if (parts) return { value: `${parts}T00:00:00.000Z` };
      return { value: text };
    }
    case 'date': {
      if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return { value: text.slice(0, 10) };
      const parts = parseDateParts(text, options.dateOrder);
      if (parts === 'ambiguous') return { error: `"${text}" is ambiguous: write dates as YYYY-MM-DD or set the dateOrder option` };
      return { value: parts ?? text };
    }
    case 'money': {
      let rest = text;
      let currency: string | undefined;
      const code = /^([A-Za-z]{3})\s*|\s*([A-Za-z]{3})$/.exec(rest);
      if (code) {
        currency = (code[1] ?? code[2] ?? '').toUpperCase();
        rest = rest.replace(code[0], '');
      } else {
        const sym = [...rest].find((ch) => CURRENCY_SYMBOLS[ch] !== undefined);
        if (sym) {
          currency = CURRENCY_SYMBOLS[sym];
          rest = rest.replace(sym, '');
        }
      }
      currency ??= type.currency ?? options.currency;
      if (currency === undefined) return { error: `"${text}" names no currency: write e.g. "EUR 12.50" or set the currency option` };
      const d = decimalText(rest.trim(), decimal);
      if (d === undefined || /e/i.test(d)) return { error: `"${text}" is not an amount of money` };
      const digits = currencyDigits(currency);
      const negative = d.startsWith('-');
      const [int = '0', frac = ''] = (negative ? d.slice(1) : d).split('.');
      if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) return { error: `"${text}" has more decimals than ${currency} allows (${digits})` };
      const amount = Number(`${int}${frac.slice(0, digits).padEnd(digits, '0')}`) * (negative ? -1 : 1);
      if (!Number.isSafeInteger(amount)) return { error: `"${text}" is too large an amount` };
      return { value: { amount: amount === 0 ? 0 : amount, currency } };
    }
    case 'enum': {
      const values = type.values ?? [];
      const found = values.find((v) => v === text) ?? values.find((v) => v.toLowerCase() === text.toLowerCase());
      return found === undefined ? { error: `"${text}" is not one of: ${values.join(', ')}` } : { value: found };
    }
    case 'list': {
      const items = text
        .split(options.listSeparator ?? ';')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (!type.values) return { value: items };
      const out: string[] = [];
      for (const item of items) {
        const r = convertText(item, { kind: 'enum', values: type.values }, options);
        if ('error' in r) return r;
        out.push(r.value as string);
      }
      return { value: out };
    }
    case 'json': {
      if (!/^[[{]/.test(text)) return { error: `expected JSON (an object or an array), got "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"` };
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: 'is not valid JSON' };
      }
    }
  }
}
