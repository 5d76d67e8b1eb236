/**
 * Exports: any query's records as CSV, JSON or NDJSON, streamed page by page through
 * keyset cursors (one page in memory at a time), with only the fields the caller may read.
 * Needs the `export` permission (its scope bounds the records), audited as `export`.
 *
 * @module
 */
import { ValidationError } from '../errors';
import { auditOps } from '../engine/audit';
import type { CompiledEntity } from '../engine/compile';
import { deny, throwIfAborted } from '../engine/guard';
import type { OpContext } from '../engine/guard';
import { buildQuery } from '../engine/read';
import type { FindQuery } from '../engine/read';
import { publicView } from '../engine/record';
import { directSession } from '../engine/session';
import type { CallOptions } from '../engine/types';
import { currencyDigits } from './convert';
import { csvLine, guardFormula } from './csv-write';
import type { IoTarget } from './import';

/** The query of an export: a `find` query without paging (the export pages itself). */
export type ExportQuery = Omit<FindQuery, 'limit' | 'cursor' | 'total' | 'signal'>;

/** Options of every export. */
export interface ExportOptions extends CallOptions {
  /**
   * The fields, as paths (`name`, `emails.0.address`, `custom.points`), in column order. A
   * field the caller cannot read is refused (`PermissionError`).
   * @defaultValue CSV: every field the caller may read; JSON: whole records as the caller sees them
   */
  fields?: string[];
  /** Records per page read from storage (1 to 1,000). @defaultValue 500 */
  pageSize?: number;
}

/** Options of CSV exports. */
export interface CsvExportOptions extends ExportOptions {
  /**
   * Prefix text cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return with `'`,
   * so a spreadsheet shows them as text instead of running them. Numbers are not touched.
   * Set `false` for the exact text (and only open the file in a spreadsheet if you trust it).
   * @defaultValue true
   */
  formulaGuard?: boolean;
  /** The character between cells. @defaultValue `','` */
  delimiter?: string;
  /** Write the header line. @defaultValue true */
  header?: boolean;
  /** What joins the items of a list of texts (tags) in one cell; imports split on it. @defaultValue `'; '` */
  listSeparator?: string;
}

/**
 * A stream of export text: a web `ReadableStream<string>` that is also async iterable
 * (`for await`), pull-based so storage is read only as fast as the consumer reads.
 *
 * @example
 * ```ts
 * const stream = await io.export.csv('customers');
 * return new Response(stream.pipeThrough(new TextEncoderStream()), { headers: { 'content-type': 'text/csv' } });
 * ```
 */
export type ExportStream = ReadableStream<string> & AsyncIterable<string>;

const BASE_FIELDS = ['id', 'version', 'createdAt', 'updatedAt', 'ownerId', 'teamId', 'archivedAt', 'externalId'];

function hides(hidden: ReadonlySet<string>, path: string): boolean {
  for (const h of hidden) if (path === h || path.startsWith(`${h}.`) || h.startsWith(`${path}.`)) return true;
  return false;
}

/** The leaf values at a path; numeric segments index arrays, other segments map over them. */
function valuesAt(value: unknown, segments: readonly string[]): unknown[] {
  if (segments.length === 0) return value === undefined ? [] : [value];
  const [seg, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(value)) {
    if (/^\d+$/.test(seg)) return valuesAt(value[Number(seg)], rest);
    return value.flatMap((v) => valuesAt(v, segments));
  }
  if (typeof value !== 'object' || value === null) return [];
  return valuesAt((value as Record<string, unknown>)[seg], rest);
}

function setAt(out: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let target: Record<string, unknown> | unknown[] = out;
  segments.forEach((seg, k) => {
    const key: string | number = Array.isArray(target) ? Number(seg) : seg;
    const t = target as Record<string | number, unknown>;
    if (k === segments.length - 1) {
      t[key] = value;
      return;
    }
    if (typeof t[key] !== 'object' || t[key] === null) t[key] = /^\d+$/.test(segments[k + 1] as string) ? [] : {};
    target = t[key] as Record<string, unknown> | unknown[];
  });
}

function isMoney(v: unknown): v is { amount: number; currency: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && Number.isInteger((v as { amount?: unknown }).amount) && typeof (v as { currency?: unknown }).currency === 'string';
}

/** One cell's text. */
function cellText(values: unknown[], listSeparator: string, guard: boolean): string {
  if (values.length === 0) return '';
  const one = values.length === 1 ? values[0] : values;
  let text: string;
  let isText = false;
  if (typeof one === 'string') {
    text = one;
    isText = true;
  } else if (typeof one === 'number' || typeof one === 'boolean') text = String(one);
  else if (one === null || one === undefined) text = '';
  else if (isMoney(one)) {
    const digits = currencyDigits(one.currency);
    const sign = one.amount < 0 ? '-' : '';
    const abs = String(Math.abs(one.amount)).padStart(digits + 1, '0');
    text = `${one.currency} ${sign}${digits ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs}`;
  } else if (Array.isArray(one) && one.every((x) => typeof x === 'string')) {
    text = one.join(listSeparator);
    isText = true;
  } else text = JSON.stringify(one);
  return guard && isText ? guardFormula(text) : text;
}

function checkFields(ctx: OpContext, entity: CompiledEntity, fields: unknown): Promise<string[] | undefined> | string[] | undefined {
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields) || fields.length === 0) throw new ValidationError([{ path: ['options', 'fields'], message: 'expected a non-empty list of field paths', code: 'invalid_option' }], { collection: entity.collection });
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, entity.collection);
  return (async () => {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as unknown;
      const top = typeof f === 'string' ? (f.split('.')[0] as string) : '';
      const known = typeof f === 'string' && (BASE_FIELDS.includes(top) || top in entity.shape || (top === 'custom' && (f.split('.')[1] ?? '') in entity.customFields));
      if (!known) throw new ValidationError([{ path: ['options', 'fields', i], message: `"${String(f)}" is not a field of ${entity.collection}`, code: 'invalid_option' }], { collection: entity.collection });
      if (hides(hidden, f as string)) await deny(ctx, 'export', entity.collection, undefined, `cannot export ${String(f)}, which this actor cannot read`);
    }
    return fields as string[];
  })();
}

/** Every field the actor may read, for a CSV header. */
function readableFields(ctx: OpContext, entity: CompiledEntity): string[] {
  const hidden = ctx.engine.policy.hiddenFields(ctx.actor, entity.collection);
  const all = [...BASE_FIELDS, ...Object.keys(entity.shape), ...Object.keys(entity.customFields).map((f) => `custom.${f}`)];
  return all.filter((f) => !hides(hidden, f));
}

function asyncIterable(stream: ReadableStream<string>): ExportStream {
  if (Symbol.asyncIterator in stream) return stream as ExportStream;
  // Browsers without async-iterable streams: iterate through a reader.
  Object.defineProperty(stream, Symbol.asyncIterator, {
    value: async function* () {
      const reader = stream.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  });
  return stream as ExportStream;
}

/**
 * Start an export from a local Crm: checks the permission and the query, writes the
 * `export` audit entry, and returns the stream.
 *
 * @internal Reached through `withIo(crm).export.csv/json/ndjson` and `createExporter(crm)`.
 * @example
 * ```ts
 * const stream = await runExport(target, 'customers', 'csv', { where: { field: 'tier', op: 'eq', value: 'vip' } }, {});
 * ```
 */
export async function runExport(target: IoTarget, collection: string, format: 'csv' | 'json' | 'ndjson', query: ExportQuery = {}, options: CsvExportOptions = {}): Promise<ExportStream> {
  const { engine, actor } = target;
  throwIfAborted(options.signal);
  if (!engine.entities.has(collection)) throw new ValidationError([{ path: ['collection'], message: `unknown collection "${String(collection)}"`, code: 'invalid_option' }]);
  const entity = engine.entity(collection);
  const ctx: OpContext = { engine, actor, session: directSession(engine.storage) };
  const decision = engine.policy.decide(actor, 'export', collection);
  if (!decision.allowed) await deny(ctx, 'export', collection, undefined, decision.reason);
  const pageSize = options.pageSize ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new ValidationError([{ path: ['options', 'pageSize'], message: 'must be a whole number from 1 to 1,000', code: 'invalid_option' }]);
  const given = await checkFields(ctx, entity, options.fields);
  const built = await buildQuery(ctx, entity, { ...query }, 'export');
  const hidden = engine.policy.hiddenFields(actor, collection);
  const fields = given ?? (format === 'csv' ? readableFields(ctx, entity) : undefined);
  const segments = fields?.map((f) => f.split('.'));
  const guard = options.formulaGuard ?? true;
  const delimiter = options.delimiter ?? ',';
  const listSeparator = options.listSeparator ?? '; ';
  await engine.storage.write(
    auditOps(engine, { actorId: actor.id, action: 'export', collection, reason: `${format} export${fields ? ` of ${fields.join(', ')}` : ''}${query.where ? ` where ${JSON.stringify(query.where)}` : ''}` }),
  );

  const line = (record: Record<string, unknown>): string => {
    if (format === 'csv') return csvLine((segments ?? []).map((s) => cellText(valuesAt(record, s), listSeparator, guard)), delimiter);
    let out: Record<string, unknown> = record;
    if (segments) {
      out = {};
      for (const s of segments) {
        const v = valuesAt(record, s);
        if (v.length) setAt(out, s, v.length === 1 ? v[0] : v);
      }
    }
    return JSON.stringify(out);
  };

  let cursor: string | undefined;
  let started = false;
  let count = 0;
  const stream = new ReadableStream<string>(
    {
      async pull(controller) {
        try {
          let text = '';
          if (!started) {
            started = true;
            if (format === 'csv' && options.header !== false) text += csvLine(fields ?? [], delimiter);
            if (format === 'json') text += '[';
          }
          // Read pages until there is something to hand over (a pull that enqueues nothing would stall the stream).
          for (;;) {
            throwIfAborted(options.signal);
            if (built === false) {
              controller.enqueue(format === 'json' ? `${text}]\n` : text);
              controller.close();
              return;
            }
            const page = await engine.storage.query(collection, { where: built.where, orderBy: built.orderBy, limit: pageSize, cursor });
            throwIfAborted(options.signal);
            for (const raw of page.items) {
              const l = line(publicView<Record<string, unknown>>(raw, hidden));
              if (format === 'json') text += `${count ? ',' : ''}\n${l}`;
              else text += format === 'ndjson' ? `${l}\n` : l;
              count++;
            }
            cursor = page.nextCursor;
            if (cursor === undefined) {
              if (format === 'json') text += count ? '\n]\n' : ']\n';
              if (text) controller.enqueue(text);
              controller.close();
              return;
            }
            if (text) {
              controller.enqueue(text);
              return;
            }
          }
        } catch (error) {
          controller.error(error);
        }
      },
    },
    { highWaterMark: 1 },
  );
  return asyncIterable(stream);
}
