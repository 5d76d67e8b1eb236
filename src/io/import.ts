/**
 * Imports: CSV or JSON read as a stream, mapped and converted row by row, deduplicated, and
 * committed in atomic chunks. Each collection's own `create`/`update` runs (so a deal's stage
 * history or a ticket's SLA are kept as usual); the audit entries the chunk writes are
 * recorded as `import`, and the `import` permission is required on top of create/update.
 *
 * @module
 */
import { APIS } from '../api/registry';
import { DUPLICATE_REASONS, duplicateFilter, duplicateKeys } from '../api/duplicates';
import type { DuplicateReason } from '../api/duplicates';
import { CrmError, ValidationError, isConflictError, isConstraintError, isCrmError, isPermissionError, isValidationError } from '../errors';
import { auditOps } from '../engine/audit';
import type { CompiledEntity } from '../engine/compile';
import type { Engine } from '../engine/engine';
import { deny, throwIfAborted } from '../engine/guard';
import type { OpContext } from '../engine/guard';
import { batchSession } from '../engine/session';
import type { Actor } from '../engine/types';
import { collectValues } from '../query/path';
import type { Filter } from '../query/types';
import type { WriteOp } from '../storage/adapter';
import type { ConvertOptions } from './convert';
import { createCsvParser } from './csv-parse';
import { createJsonSplitter } from './json-parse';
import { buildInput, columnOf, resolveMapping } from './mapping';
import type { ColumnMapping, MappingFunction } from './mapping';
import { textSource } from './source';
import type { ImportInput } from './source';

/**
 * What rows are matched on to find the record they update: `externalId` (an upsert), the
 * normalized `email`, `phone` or `name` (as `findDuplicates` compares them), or any other
 * field path compared as is (e.g. `custom.crmNumber`).
 *
 * @example
 * ```ts
 * const by: DedupeKey[] = ['externalId', 'email'];
 * ```
 */
export type DedupeKey = 'externalId' | DuplicateReason | (string & {});

/** Options of every import. */
export interface ImportOptions extends ConvertOptions {
  /**
   * Source column → field path (or `{ field, transform }`), or a function row → input.
   * Without it, every column whose name is a field path of the collection is used as is
   * (the others are listed in the report's `ignoredColumns`); JSON records are used whole.
   * @example
   * ```ts
   * { 'First Name': 'name', Email: 'emails.0.address', Country: 'addresses.0.country', Points: 'custom.points' }
   * ```
   */
  mapping?: ColumnMapping | MappingFunction;
  /** Fields every row gets unless it gives them, e.g. `{ kind: 'organization' }`. */
  defaults?: Record<string, unknown>;
  /**
   * How a row finds the existing record it duplicates: the first key (in order) that
   * matches wins. Matching on `email`, `phone` and `name` ignores archived records.
   * @defaultValue `['externalId']`
   */
  dedupeBy?: DedupeKey | readonly DedupeKey[];
  /**
   * What to do with a row that matches an existing record: `update` it (a JSON Merge Patch
   * of the row's fields: blank cells change nothing, lists are replaced), `skip` the row, or
   * `create` a new record anyway (refused for `externalId`, which is unique).
   * @defaultValue `'update'`
   */
  onDuplicate?: 'skip' | 'update' | 'create';
  /** Validate, match and count without writing anything. @defaultValue false */
  dryRun?: boolean;
  /** Rows per atomic chunk (1 to 1,000). @defaultValue 500 */
  chunkSize?: number;
  /** Called after every chunk. */
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Cancels the import between rows: chunks already committed stay, the current one is
   * dropped, and the import resolves with a report saying `cancelled: true` and how many
   * rows were committed. (An already-aborted signal rejects with `AbortError`, nothing done.)
   */
  signal?: AbortSignal;
  /** At most this many row errors are kept in the report (the count is always exact). @defaultValue 1000 */
  maxErrors?: number;
}

/** Options of CSV imports. */
export interface CsvImportOptions extends ImportOptions {
  /** The character between cells. @defaultValue `','` */
  delimiter?: string;
}

/** Options of JSON imports. */
export interface JsonImportOptions extends ImportOptions {
  /** `array`, `ndjson`, or `auto` (an array when the input starts with `[`). @defaultValue `'auto'` */
  format?: 'auto' | 'array' | 'ndjson';
  /** Import the array under this top-level key, e.g. `records` for Salesforce exports. */
  arrayKey?: string;
}

/** Why one row was not imported. */
export interface ImportRowError {
  /** CSV: the line the row starts on (the header is line 1). JSON: the record's number, from 1. */
  row: number;
  /** The physical line the row starts on. */
  line: number;
  /** The source column the failing field came from, when one did. */
  column?: string;
  /** The failing field path, when one. */
  field?: string;
  /** What is wrong. */
  message: string;
  /** A machine-readable code: the validation issue's code, `conversion`, `parse`, `constraint`, `forbidden`… */
  code: string;
}

/** Counts so far, reported after each chunk. */
export interface ImportProgress {
  /** The collection imported into. */
  collection: string;
  /** Rows read so far. */
  rows: number;
  /** Rows in the input, when known (JSON given as an array). */
  totalRows?: number;
  /** Bytes read so far (characters for a string input). */
  bytes: number;
  /** The input's size, when known (a Blob's bytes, a string's characters). */
  totalBytes?: number;
  /** Records created. */
  created: number;
  /** Records updated. */
  updated: number;
  /** Rows skipped as duplicates (or mapped to nothing). */
  skipped: number;
  /** Rows that failed. */
  failed: number;
  /** Rows whose record is stored (created + updated, in committed chunks). */
  committedRows: number;
}

/** What an import did. */
export interface ImportReport extends ImportProgress {
  /** `csv` or `json`. */
  format: 'csv' | 'json';
  /** Nothing was written. */
  dryRun: boolean;
  /** The import was cancelled through its signal; `committedRows` were stored. */
  cancelled: boolean;
  /** Chunks committed. */
  chunks: number;
  /** Why rows failed (several errors per row are possible), in row order, up to `maxErrors`. */
  errors: ImportRowError[];
  /** Whether errors were left out past `maxErrors`. */
  errorsTruncated: boolean;
  /** CSV columns no mapping used. */
  ignoredColumns: string[];
}

/** One source row. */
interface SourceRow {
  row: number;
  line: number;
  values?: Record<string, unknown>;
  error?: string;
}

type Outcome =
  | { kind: 'created' | 'updated'; id: string }
  | { kind: 'skipped' }
  | { kind: 'failed'; errors: ImportRowError[] };

const DEFAULT_CHUNK = 500;

/** The engine and actor behind a Crm view (local mode only). */
export interface IoTarget {
  engine: Engine;
  actor: Actor;
}

function optionIssue(path: string, message: string): ValidationError {
  return new ValidationError([{ path: ['options', ...path.split('.')], message, code: 'invalid_option' }]);
}

function checkOptions(entity: CompiledEntity, options: ImportOptions): { dedupe: DedupeKey[]; onDuplicate: 'skip' | 'update' | 'create'; chunkSize: number } {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 1000) throw optionIssue('chunkSize', 'must be a whole number from 1 to 1,000');
  const onDuplicate = options.onDuplicate ?? 'update';
  if (!['skip', 'update', 'create'].includes(onDuplicate)) throw optionIssue('onDuplicate', 'is "skip", "update" or "create"');
  const dedupe = options.dedupeBy === undefined ? ['externalId'] : typeof options.dedupeBy === 'string' ? [options.dedupeBy] : [...options.dedupeBy];
  dedupe.forEach((k, i) => {
    if (typeof k !== 'string' || k === '') throw optionIssue(`dedupeBy.${i}`, 'is a field path or "externalId", "email", "phone", "name"');
    if (DUPLICATE_REASONS.includes(k as DuplicateReason) && duplicateFilter(entity, k as DuplicateReason, ['x']) === undefined) {
      throw optionIssue(`dedupeBy.${i}`, `${entity.collection} have no ${k} to match on`);
    }
  });
  if (options.mapping !== undefined && typeof options.mapping !== 'function' && (typeof options.mapping !== 'object' || options.mapping === null)) {
    throw optionIssue('mapping', 'is an object of column → field path, or a function');
  }
  return { dedupe, onDuplicate, chunkSize };
}

/** The key strings of a record (or input) for one dedupe key. */
function keysOf(entity: CompiledEntity, record: unknown, key: DedupeKey): string[] {
  if (DUPLICATE_REASONS.includes(key as DuplicateReason)) return duplicateKeys(entity, record, key as DuplicateReason);
  return collectValues(record, key).filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v));
}

/** Which committed records the chunk's rows duplicate: `${key}\0${value}` → id. Unscoped, as integrity checks are. */
async function lookupExisting(engine: Engine, entity: CompiledEntity, inputs: (Record<string, unknown> | undefined)[], dedupe: readonly DedupeKey[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const key of dedupe) {
    const values = [...new Set(inputs.flatMap((input) => (input ? keysOf(entity, input, key) : [])))];
    if (!values.length) continue;
    const reason = DUPLICATE_REASONS.includes(key as DuplicateReason) ? (key as DuplicateReason) : undefined;
    const filters: Filter[] = [];
    if (reason === 'name') {
      for (const v of values) filters.push(duplicateFilter(entity, reason, [v]) as Filter);
    } else if (reason) {
      for (let i = 0; i < values.length; i += 500) filters.push(duplicateFilter(entity, reason, values.slice(i, i + 500)) as Filter);
    } else {
      for (let i = 0; i < values.length; i += 500) {
        const part = values.slice(i, i + 500);
        filters.push({ field: key, op: 'in', value: key.startsWith('custom.') ? [...part, ...part.map(Number).filter(Number.isFinite)] : part });
      }
    }
    const wanted = new Set(values);
    for (const f of filters) {
      // The unique externalId reaches archived records too; a person's email or phone does not.
      const where: Filter = key === 'externalId' ? f : { and: [f, { field: 'archivedAt', op: 'exists', value: false }] };
      let cursor: string | undefined;
      do {
        const page = await engine.storage.query(entity.collection, { where, limit: 1000, cursor });
        for (const r of page.items) {
          for (const v of keysOf(entity, r, key)) {
            const k = `${key}\u0000${v}`;
            if (wanted.has(v) && !found.has(k)) found.set(k, r.id);
          }
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    }
  }
  return found;
}

/** Turn an error thrown by a create or update into row errors. */
function rowErrors(error: unknown, row: SourceRow, columns: ReadonlyMap<string, string>): ImportRowError[] {
  const base = { row: row.row, line: row.line };
  const withColumn = (path: readonly (string | number)[]) => {
    const column = columnOf(columns, path);
    const field = path.length ? path.join('.') : undefined;
    return { ...(column !== undefined ? { column } : {}), ...(field !== undefined ? { field } : {}) };
  };
  if (isValidationError(error)) {
    return error.issues.map((i) => ({ ...base, ...withColumn(i.path), message: i.message, code: i.code ?? 'invalid' }));
  }
  if (isConstraintError(error)) return [{ ...base, ...withColumn(error.fields.slice(-1)), message: error.message, code: error.constraint }];
  if (isPermissionError(error)) return [{ ...base, message: error.message, code: 'forbidden' }];
  if (isCrmError(error)) return [{ ...base, message: error.message, code: error.code }];
  throw error;
}

/** Source rows of a CSV input: the header first, then each record as column → text. */
async function* csvRows(chunks: AsyncIterable<string>, delimiter: string | undefined, header: (columns: string[]) => void): AsyncGenerator<SourceRow> {
  const parser = createCsvParser(delimiter === undefined ? {} : { delimiter });
  let columns: string[] | undefined;
  function* rows(records: ReturnType<typeof parser.push>): Generator<SourceRow> {
    for (const r of records) {
      if (!columns) {
        columns = r.cells.map((c) => c.trim());
        header(columns);
        continue;
      }
      if (r.error) {
        yield { row: r.line, line: r.line, error: r.error };
        continue;
      }
      // A row of empty cells is a blank line.
      if (r.cells.every((c) => c === '')) continue;
      const values: Record<string, unknown> = {};
      columns.forEach((c, i) => {
        if (!(c in values)) values[c] = r.cells[i] ?? '';
      });
      if (r.cells.length > columns.length && r.cells.slice(columns.length).some((c) => c !== '')) {
        yield { row: r.line, line: r.line, error: `has ${r.cells.length} cells but the header has ${columns.length} columns` };
        continue;
      }
      yield { row: r.line, line: r.line, values };
    }
  }
  for await (const text of chunks) yield* rows(parser.push(text));
  yield* rows(parser.end());
}

/** Source rows of a JSON input. */
async function* jsonRows(chunks: AsyncIterable<string>, options: JsonImportOptions): AsyncGenerator<SourceRow> {
  const splitter = createJsonSplitter({ ...(options.format ? { format: options.format } : {}), ...(options.arrayKey !== undefined ? { arrayKey: options.arrayKey } : {}) });
  function* rows(elements: ReturnType<typeof splitter.push>): Generator<SourceRow> {
    for (const e of elements) {
      if (e.error) yield { row: e.record, line: e.line, error: e.error };
      else if (typeof e.value !== 'object' || e.value === null || Array.isArray(e.value)) yield { row: e.record, line: e.line, error: 'expected a JSON object' };
      else yield { row: e.record, line: e.line, values: e.value as Record<string, unknown> };
    }
  }
  for await (const text of chunks) yield* rows(splitter.push(text));
  yield* rows(splitter.end());
}

function deepMergeDefaults(defaults: Record<string, unknown> | undefined, input: Record<string, unknown>): Record<string, unknown> {
  if (!defaults) return input;
  const out: Record<string, unknown> = structuredClone(defaults);
  for (const [k, v] of Object.entries(input)) {
    const d = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof d === 'object' && d !== null && !Array.isArray(d) ? deepMergeDefaults(d as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/**
 * Run an import into a collection of a local Crm.
 *
 * @internal Reached through `withIo(crm).import.csv/json` and `createImporter(crm)`.
 * @example
 * ```ts
 * const report = await runImport(target, 'customers', 'csv', csvText, { mapping: { Name: 'name' } });
 * ```
 */
export async function runImport(target: IoTarget, collection: string, format: 'csv' | 'json', input: ImportInput | readonly unknown[], options: CsvImportOptions & JsonImportOptions = {}): Promise<ImportReport> {
  const { engine, actor } = target;
  throwIfAborted(options.signal);
  const makeApi = APIS[collection];
  if (!engine.entities.has(collection) || !makeApi) throw optionIssue('collection', `unknown collection "${String(collection)}"`);
  const entity = engine.entity(collection);
  const { dedupe, onDuplicate, chunkSize } = checkOptions(entity, options);
  const rootCtx: OpContext = { engine, actor, session: batchSession(engine.storage) };
  const decision = engine.policy.decide(actor, 'import', collection);
  if (!decision.allowed) await deny(rootCtx, 'import', collection, undefined, decision.reason);

  const maxErrors = options.maxErrors ?? 1000;
  const report: ImportReport = {
    collection,
    format,
    dryRun: options.dryRun === true,
    cancelled: false,
    rows: 0,
    bytes: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    committedRows: 0,
    chunks: 0,
    errors: [],
    errorsTruncated: false,
    ignoredColumns: [],
  };
  const addErrors = (errors: ImportRowError[]) => {
    for (const e of errors) {
      if (report.errors.length < maxErrors) report.errors.push(e);
      else report.errorsTruncated = true;
    }
  };

  // The mapping: a function, a column map, or (absent) the columns that are field paths.
  let columnMapping = typeof options.mapping === 'object' ? resolveMapping(entity, options.mapping) : undefined;
  const mapFn = typeof options.mapping === 'function' ? options.mapping : undefined;
  const onHeader = (columns: string[]) => {
    if (mapFn) return;
    if (columnMapping) {
      const missing = columnMapping.columns.map((c) => c.column).filter((c) => !columns.includes(c));
      if (missing.length) {
        throw new ValidationError(missing.map((c) => ({ path: ['mapping', c], message: `column "${c}" is not in the header (${columns.join(', ')})`, code: 'invalid_option' })));
      }
      const used = new Set(columnMapping.columns.map((c) => c.column));
      report.ignoredColumns = columns.filter((c) => !used.has(c));
      return;
    }
    const known = (c: string) => {
      const top = c.split('.')[0] as string;
      return top in entity.shape || ['ownerId', 'teamId', 'externalId', 'id'].includes(top) || (top === 'custom' && c.split('.')[1] !== undefined && c.split('.')[1] as string in entity.customFields);
    };
    columnMapping = resolveMapping(entity, Object.fromEntries(columns.filter(known).map((c) => [c, c])));
    report.ignoredColumns = columns.filter((c) => !known(c));
  };

  let totalRows: number | undefined;
  let source: { done: () => number; total: number | undefined } = { done: () => 0, total: undefined };
  let rows: AsyncIterable<SourceRow>;
  if (Array.isArray(input)) {
    totalRows = input.length;
    const list = input as readonly unknown[];
    rows = (async function* () {
      for (let i = 0; i < list.length; i++) {
        const v = list[i];
        if (typeof v !== 'object' || v === null || Array.isArray(v)) yield { row: i + 1, line: i + 1, error: 'expected an object' };
        else yield { row: i + 1, line: i + 1, values: v as Record<string, unknown> };
      }
    })();
  } else {
    const text = textSource(input as ImportInput);
    source = text;
    rows = format === 'csv' ? csvRows(text.chunks, options.delimiter, onHeader) : jsonRows(text.chunks, options);
  }

  /** The input of one row, or its errors. */
  function inputOf(row: SourceRow): { input: Record<string, unknown>; columns: Map<string, string> } | { errors: ImportRowError[] } | undefined {
    if (row.error || !row.values) return { errors: [{ row: row.row, line: row.line, message: row.error ?? 'unreadable row', code: 'parse' }] };
    if (mapFn) {
      const mapped = mapFn(row.values, { row: row.row, line: row.line });
      if (mapped === null || mapped === undefined) return undefined;
      return { input: deepMergeDefaults(options.defaults, mapped), columns: new Map() };
    }
    if (!columnMapping) {
      // JSON without a mapping: the record is the input.
      return { input: deepMergeDefaults(options.defaults, row.values), columns: new Map() };
    }
    const built = buildInput(row.values, columnMapping, options);
    if (built.problems.length) {
      return { errors: built.problems.map((p) => ({ row: row.row, line: row.line, column: p.column, field: p.field, message: p.message, code: 'conversion' })) };
    }
    return { input: deepMergeDefaults(options.defaults, built.input), columns: built.columns };
  }

  // Keys created by an earlier chunk of a dry run (nothing is stored to find them by).
  const dryKeys = new Map<string, string>();

  async function processChunk(chunk: SourceRow[]): Promise<boolean> {
    const prepared = chunk.map((row) => ({ row, built: inputOf(row) }));
    for (let attempt = 0; ; attempt++) {
      const batch = batchSession(engine.storage);
      const ctx: OpContext = { engine, actor, session: batch };
      const api = makeApi!(ctx) as {
        create(input: unknown): Promise<{ id: string }>;
        update(id: string, patch: unknown): Promise<{ id: string }>;
      };
      const inputs = prepared.map((p) => (p.built && 'input' in p.built ? p.built.input : undefined));
      const existing = onDuplicate === 'create' && !dedupe.includes('externalId') ? new Map<string, string>() : await lookupExisting(engine, entity, inputs, dedupe);
      const chunkKeys = new Map<string, string>(dryKeys);
      const outcomes: Outcome[] = [];
      for (const { row, built } of prepared) {
        if (options.signal?.aborted) return false;
        if (built === undefined) {
          outcomes.push({ kind: 'skipped' });
          continue;
        }
        if ('errors' in built) {
          outcomes.push({ kind: 'failed', errors: built.errors });
          continue;
        }
        const { input, columns } = built;
        let match: string | undefined;
        for (const key of dedupe) {
          for (const v of keysOf(entity, input, key)) {
            const k = `${key}\u0000${v}`;
            match = chunkKeys.get(k) ?? existing.get(k);
            if (match) break;
          }
          if (match) break;
        }
        const externalIdTaken = match !== undefined && onDuplicate === 'create' && keysOf(entity, input, 'externalId').some((v) => (chunkKeys.get(`externalId\u0000${v}`) ?? existing.get(`externalId\u0000${v}`)) !== undefined);
        try {
          if (match !== undefined && onDuplicate === 'skip') {
            outcomes.push({ kind: 'skipped' });
            continue;
          }
          let id: string;
          if (match !== undefined && (onDuplicate === 'update' || externalIdTaken)) {
            if (externalIdTaken && onDuplicate === 'create') {
              outcomes.push({ kind: 'failed', errors: [{ row: row.row, line: row.line, ...(columnOf(columns, ['externalId']) !== undefined ? { column: columnOf(columns, ['externalId']) as string } : {}), field: 'externalId', message: `externalId is already used by ${entity.singular} ${match}`, code: 'unique' }] });
              continue;
            }
            const { id: _ignored, ...patch } = input;
            if (match.startsWith('\u0000dry')) {
              outcomes.push({ kind: 'updated', id: match });
              continue;
            }
            id = (await api.update(match, patch)).id;
            outcomes.push({ kind: 'updated', id });
          } else {
            id = (await api.create(input)).id;
            outcomes.push({ kind: 'created', id });
          }
          for (const key of dedupe) for (const v of keysOf(entity, input, key)) if (!chunkKeys.has(`${key}\u0000${v}`)) chunkKeys.set(`${key}\u0000${v}`, options.dryRun ? `\u0000dry${id}` : id);
        } catch (error) {
          outcomes.push({ kind: 'failed', errors: rowErrors(error, row, columns) });
        }
      }
      if (options.signal?.aborted) return false;
      if (!options.dryRun) {
        // The chunk's audit entries say `import`, not the verbs that ran for it.
        const ops: WriteOp[] = batch.operations().map((op) => {
          if (op.type === 'insert' && op.collection === 'audit' && op.record['collection'] === collection && (op.record['action'] === 'create' || op.record['action'] === 'update')) {
            return { ...op, record: { ...op.record, action: 'import' } };
          }
          return op;
        });
        try {
          if (ops.length) await engine.storage.write(ops);
        } catch (error) {
          // Another writer got in between (a version moved, an externalId was taken): plan the chunk again.
          if ((isConflictError(error) || (isConstraintError(error) && error.constraint === 'unique')) && attempt < 3) continue;
          throw error;
        }
        for (const effect of batch.effects()) effect();
        report.chunks++;
      } else {
        for (const [k, v] of chunkKeys) dryKeys.set(k, v);
      }
      for (const o of outcomes) {
        if (o.kind === 'failed') {
          report.failed++;
          addErrors(o.errors);
        } else if (o.kind === 'skipped') report.skipped++;
        else {
          report[o.kind]++;
          if (!options.dryRun) report.committedRows++;
        }
      }
      report.rows += chunk.length;
      return true;
    }
  }

  const progress = (): ImportProgress => {
    const p: ImportProgress = {
      collection,
      rows: report.rows,
      bytes: source.done(),
      created: report.created,
      updated: report.updated,
      skipped: report.skipped,
      failed: report.failed,
      committedRows: report.committedRows,
    };
    if (totalRows !== undefined) p.totalRows = totalRows;
    if (source.total !== undefined) p.totalBytes = source.total;
    return p;
  };
  const emitProgress = () => {
    const p = progress();
    try {
      options.onProgress?.(p);
    } finally {
      engine.events.emit('import.progress', { type: 'import.progress', actorId: actor.id, ...p });
    }
  };

  let chunk: SourceRow[] = [];
  const iterator = rows[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (options.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      const next = await iterator.next();
      if (!next.done) chunk.push(next.value);
      if (chunk.length >= chunkSize || (next.done && chunk.length)) {
        const finished = await processChunk(chunk);
        chunk = [];
        if (!finished) {
          report.cancelled = true;
          break;
        }
        emitProgress();
      }
      if (next.done) break;
    }
  } finally {
    // Stop reading (and release the stream) when the import ends early.
    if (report.cancelled) await iterator.return?.(undefined);
  }
  Object.assign(report, { bytes: source.done() }, totalRows !== undefined ? { totalRows } : {}, source.total !== undefined ? { totalBytes: source.total } : {});
  if (!report.dryRun) {
    const reason = `${format} import: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped, ${report.failed} failed${report.cancelled ? ' (cancelled)' : ''}`;
    await engine.storage.write(auditOps(engine, { actorId: actor.id, action: 'import', collection, reason }));
  }
  engine.events.emit('import.completed', { type: 'import.completed', actorId: actor.id, ...progress(), cancelled: report.cancelled, dryRun: report.dryRun });
  return report;
}

/** The error a Crm without local internals (remote mode) gets. */
export function remoteIoError(): CrmError {
  return new CrmError('rapport/io runs where the data is: in remote mode, run imports and exports on the server (its Crm is local)', 'internal');
}
