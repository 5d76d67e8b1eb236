/**
 * The `rapport/io` entry's facade: `withIo(crm)` gives a Crm `import` and `export`, kept out
 * of the core bundle so apps that never import a file do not ship a CSV parser.
 *
 * @module
 */
import type { Crm } from '../crm';
import type { CustomFieldsConfig } from '../engine/custom-fields';
import type { Actor } from '../engine/types';
import { internalsOf } from '../internal/internals';
import { runExport } from './export';
import type { CsvExportOptions, ExportOptions, ExportQuery, ExportStream } from './export';
import { remoteIoError, runImport } from './import';
import type { CsvImportOptions, ImportReport, IoTarget, JsonImportOptions } from './import';
import type { ImportInput } from './source';

/** `crm.import`: CSV and JSON imports into any collection. */
export interface Importer {
  /**
   * Import CSV (RFC 4180; CRLF or LF, BOM, quoted line breaks, `""` escapes; blank lines
   * skipped; unquoted cells trimmed; blank cells leave fields absent).
   *
   * @example
   * ```ts
   * const report = await io.import.csv('customers', file, {
   *   mapping: { 'First Name': 'name', Email: 'emails.0.address', Points: 'custom.points' },
   *   dedupeBy: 'email', onDuplicate: 'update', onProgress: (p) => bar.set(p.bytes / (p.totalBytes ?? 1)),
   * });
   * console.log(report.created, report.updated, report.failed, report.errors);
   * ```
   * @throws `PermissionError` without the `import` permission (nothing changes);
   * `ValidationError` for bad options or mapping columns missing from the header;
   * `AbortError` when the signal was aborted before the import started.
   */
  csv(collection: string, input: ImportInput, options?: CsvImportOptions): Promise<ImportReport>;
  /**
   * Import JSON: an array (streamed element by element), an array under a top-level key
   * (`arrayKey: 'records'`), NDJSON, or records already in memory.
   *
   * @example
   * ```ts
   * const report = await io.import.json('interactions', ndjsonStream, { format: 'ndjson' });
   * ```
   * @throws as {@link Importer.csv}.
   */
  json(collection: string, input: ImportInput | readonly unknown[], options?: JsonImportOptions): Promise<ImportReport>;
}

/** `crm.export`: any query's records, streamed. */
export interface Exporter {
  /**
   * Export CSV, formula-guarded by default.
   *
   * @example
   * ```ts
   * const stream = await io.export.csv('customers', { where: { field: 'tier', op: 'eq', value: 'vip' } }, { fields: ['name', 'emails.0.address'] });
   * for await (const text of stream) out.write(text);
   * ```
   * @throws `PermissionError` without the `export` permission or for a field the caller
   * cannot read; `QueryError` for a bad query; `ValidationError` for bad options.
   */
  csv(collection: string, query?: ExportQuery, options?: CsvExportOptions): Promise<ExportStream>;
  /**
   * Export a JSON array (exact: no formula guard).
   *
   * @example
   * ```ts
   * const text = await new Response((await io.export.json('customers')).pipeThrough(new TextEncoderStream())).text();
   * ```
   * @throws as {@link Exporter.csv}.
   */
  json(collection: string, query?: ExportQuery, options?: ExportOptions): Promise<ExportStream>;
  /**
   * Export NDJSON: one record per line.
   *
   * @example
   * ```ts
   * const stream = await io.export.ndjson('interactions', { where: { field: 'type', op: 'eq', value: 'call' } });
   * ```
   * @throws as {@link Exporter.csv}.
   */
  ndjson(collection: string, query?: ExportQuery, options?: ExportOptions): Promise<ExportStream>;
}

/**
 * A Crm with `import` and `export`. Everything else is the Crm's own; `as(actor)` keeps io.
 * @typeParam C - custom field definitions.
 */
export type IoCrm<C extends CustomFieldsConfig = CustomFieldsConfig> = Omit<Crm<C>, 'as'> & {
  /** Imports. */
  readonly import: Importer;
  /** Exports. */
  readonly export: Exporter;
  /** A view acting as someone else, with io. */
  as(actor: Actor): IoCrm<C>;
};

function targetOf(crm: unknown): IoTarget {
  const internals = internalsOf(crm);
  if (!internals) throw remoteIoError();
  return { engine: internals.engine, actor: internals.actor };
}

/**
 * The importer of a local Crm (memory, IndexedDB, or a server's own Crm).
 *
 * @example
 * ```ts
 * const importer = createImporter(crm);
 * await importer.csv('customers', 'name,emails.0.address\nAda,ada@example.com\n');
 * ```
 * @throws `CrmError` for a remote Crm: run imports on the server.
 */
export function createImporter(crm: Crm<never> | Crm): Importer {
  const target = targetOf(crm);
  return {
    csv: (collection, input, options) => runImport(target, collection, 'csv', input, options),
    json: (collection, input, options) => runImport(target, collection, 'json', input, options),
  };
}

/**
 * The exporter of a local Crm.
 *
 * @example
 * ```ts
 * const stream = await createExporter(crm).ndjson('customers');
 * ```
 * @throws `CrmError` for a remote Crm: run exports on the server.
 */
export function createExporter(crm: Crm<never> | Crm): Exporter {
  const target = targetOf(crm);
  return {
    csv: (collection, query, options) => runExport(target, collection, 'csv', query, options),
    json: (collection, query, options) => runExport(target, collection, 'json', query, options),
    ndjson: (collection, query, options) => runExport(target, collection, 'ndjson', query, options),
  };
}

/**
 * Give a Crm `import` and `export`: `withIo(crm).import.csv(...)` reads like the issue's
 * `crm.import.csv(...)`, while the parser and converters stay in `rapport/io`, out of the
 * core bundle. The result delegates everything else to `crm` (same storage, events, actor).
 *
 * @example
 * ```ts
 * import { createCrm } from 'rapport';
 * import { withIo } from 'rapport/io';
 * const crm = withIo(await createCrm());
 * const report = await crm.import.csv('customers', file, { mapping: { Name: 'name' } });
 * const stream = await crm.export.csv('customers');
 * ```
 * @throws `CrmError` for a remote Crm (`httpAdapter`): imports and exports run on the server.
 */
export function withIo<C extends CustomFieldsConfig>(crm: Crm<C>): IoCrm<C> {
  const io = Object.create(crm) as Record<string | symbol, unknown>;
  Object.defineProperties(io, {
    import: { value: createImporter(crm as Crm), enumerable: true },
    export: { value: createExporter(crm as Crm), enumerable: true },
    as: { value: (actor: Actor) => withIo(crm.as(actor)), enumerable: true },
  });
  return io as unknown as IoCrm<C>;
}
