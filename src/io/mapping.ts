/**
 * Mapping source columns to field paths and building one record's input from a row: blank
 * cells leave fields absent, values are converted to the target field's type, and the
 * input remembers which column each field came from so errors can name it.
 *
 * @module
 */
import type { CompiledEntity } from '../engine/compile';
import { convertText, fieldTypeAt } from './convert';
import type { ConvertOptions, FieldType } from './convert';

/**
 * Where one source column goes: a field path (`'name'`, `'emails.0.address'`,
 * `'custom.points'`), or a path with a `transform` that turns the cell into the value
 * itself (no type conversion then; return `undefined` to leave the field absent).
 *
 * @example
 * ```ts
 * const country: FieldMapping = { field: 'addresses.0.country', transform: (v) => (v === 'United States' ? 'US' : v) };
 * ```
 */
export type FieldMapping =
  | string
  | {
      /** The field path. */
      field: string;
      /** Make the value from the cell (trimmed, non-empty) and the whole row. */
      transform?: (value: unknown, row: Readonly<Record<string, unknown>>) => unknown;
    };

/**
 * Source column (CSV header, or a JSON key path such as `account.name`) → where it goes.
 * Columns mapped to the same text field are joined with a space, in mapping order
 * (`{ 'First Name': 'name', 'Last Name': 'name' }`).
 *
 * @example
 * ```ts
 * const mapping: ColumnMapping = { 'First Name': 'name', Email: 'emails.0.address', Points: 'custom.points' };
 * ```
 */
export type ColumnMapping = Readonly<Record<string, FieldMapping>>;

/**
 * A mapping as a function: the row (column → cell text, or a JSON record) → the record's
 * input, or `null`/`undefined` to skip the row. Values are used as returned.
 *
 * @example
 * ```ts
 * const mapping: MappingFunction = (row) => ({ name: `${row.firstName} ${row.lastName}`, tags: ['imported'] });
 * ```
 */
export type MappingFunction = (row: Readonly<Record<string, unknown>>, info: { row: number; line: number }) => Record<string, unknown> | null | undefined;

/** A mapping resolved against an entity: each column's path, segments and type. */
export interface ResolvedMapping {
  /** Column → target. */
  columns: { column: string; path: string; segments: string[]; type: FieldType; transform?: (value: unknown, row: Readonly<Record<string, unknown>>) => unknown }[];
}

/**
 * Resolve a column mapping against an entity's fields.
 *
 * @param entity - the target entity.
 * @param mapping - column → field path.
 * @returns the resolved columns.
 * @example
 * ```ts
 * resolveMapping(customers, { Email: 'emails.0.address' }).columns[0].type // { kind: 'string' }
 * ```
 */
export function resolveMapping(entity: CompiledEntity, mapping: ColumnMapping): ResolvedMapping {
  return {
    columns: Object.entries(mapping).map(([column, target]) => {
      const path = typeof target === 'string' ? target : target.field;
      const out: ResolvedMapping['columns'][number] = { column, path, segments: path.split('.'), type: fieldTypeAt(entity, path) };
      if (typeof target === 'object' && target.transform) out.transform = target.transform;
      return out;
    }),
  };
}

/** A problem with one cell. */
export interface CellProblem {
  /** The source column. */
  column: string;
  /** The target field path. */
  field: string;
  /** What is wrong. */
  message: string;
}

/** One row's input and where each of its fields came from. */
export interface BuiltInput {
  /** The record input. */
  input: Record<string, unknown>;
  /** Field path (as issues name it, after array compaction) → source column. */
  columns: Map<string, string>;
  /** Cells that could not be converted. */
  problems: CellProblem[];
}

/** Read a value at a dotted path of a JSON record (whole key first, so `a.b` may be a key). */
export function valueAt(row: Readonly<Record<string, unknown>>, column: string): unknown {
  if (column in row) return row[column];
  let v: unknown = row;
  for (const seg of column.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

const isIndex = (s: string) => /^\d+$/.test(s);

/**
 * Build a record's input from a row with a resolved mapping.
 *
 * @param row - column → cell (text for CSV; any JSON value for JSON records).
 * @param mapping - the resolved mapping.
 * @param options - conversion options.
 * @returns the input, the column of each field, and the cells that failed to convert.
 * @example
 * ```ts
 * buildInput({ Email: 'ada@example.com' }, resolveMapping(customers, { Email: 'emails.0.address' }), {}).input
 * // { emails: [{ address: 'ada@example.com' }] }
 * ```
 */
export function buildInput(row: Readonly<Record<string, unknown>>, mapping: ResolvedMapping, options: ConvertOptions): BuiltInput {
  const problems: CellProblem[] = [];
  const entries: { segments: string[]; column: string; value: unknown }[] = [];
  for (const col of mapping.columns) {
    const raw = valueAt(row, col.column);
    // A blank cell leaves the field absent. Text is otherwise kept exact (the CSV parser has
    // already trimmed unquoted cells; quoted cells and JSON strings say what they mean).
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    let value: unknown;
    if (col.transform) {
      value = col.transform(raw, row);
      if (value === undefined) continue;
    } else if (typeof raw === 'string') {
      const r = col.type.kind === 'string' || col.type.kind === 'unknown' ? { value: raw } : convertText(raw.trim(), col.type, options);
      if ('error' in r) {
        problems.push({ column: col.column, field: col.path, message: r.error });
        continue;
      }
      value = r.value;
    } else value = raw;
    const same = entries.find((e) => e.segments.join('.') === col.path);
    if (same && typeof same.value === 'string' && typeof value === 'string') {
      same.value = `${same.value} ${value}`;
      continue;
    }
    entries.push({ segments: col.segments, column: col.column, value });
  }
  // Array indexes are compacted: a blank `emails.0.address` with a given `emails.1.address` gives one email.
  const present = new Map<string, Set<number>>();
  for (const e of entries) {
    e.segments.forEach((s, k) => {
      if (!isIndex(s)) return;
      const prefix = e.segments.slice(0, k).join('.');
      let set = present.get(prefix);
      if (!set) present.set(prefix, (set = new Set()));
      set.add(Number(s));
    });
  }
  const rank = (prefix: string, n: number) => [...(present.get(prefix) ?? [])].sort((a, b) => a - b).indexOf(n);
  const input: Record<string, unknown> = {};
  const columns = new Map<string, string>();
  for (const e of entries) {
    const segs = e.segments.map((s, k) => (isIndex(s) ? String(rank(e.segments.slice(0, k).join('.'), Number(s))) : s));
    let target: Record<string, unknown> | unknown[] = input;
    for (let k = 0; k < segs.length - 1; k++) {
      const seg = segs[k] as string;
      const key: string | number = Array.isArray(target) ? Number(seg) : seg;
      let next = (target as Record<string | number, unknown>)[key];
      if (typeof next !== 'object' || next === null) {
        next = isIndex(segs[k + 1] as string) ? [] : {};
        (target as Record<string | number, unknown>)[key] = next;
      }
      target = next as Record<string, unknown> | unknown[];
    }
    const last = segs[segs.length - 1] as string;
    (target as Record<string | number, unknown>)[Array.isArray(target) ? Number(last) : last] = e.value;
    columns.set(segs.join('.'), e.column);
  }
  return { input, columns, problems };
}

/**
 * The source column an issue path (as a ValidationError names it) came from: the column of
 * the same path, of a path inside it, or of a path containing it.
 *
 * @param columns - field path → column, from {@link buildInput}.
 * @param path - the path.
 * @returns the column, or `undefined` (e.g. a required field no column gave).
 * @example
 * ```ts
 * columnOf(new Map([['emails.0.address', 'Email']]), ['emails', 0, 'address']) // 'Email'
 * ```
 */
export function columnOf(columns: ReadonlyMap<string, string>, path: readonly (string | number)[]): string | undefined {
  const p = path.join('.');
  const exact = columns.get(p);
  if (exact !== undefined) return exact;
  for (const [field, column] of columns) {
    if (field.startsWith(`${p}.`) || p.startsWith(`${field}.`)) return column;
  }
  return undefined;
}
