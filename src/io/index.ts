/**
 * `rapport/io`: CSV and JSON import and export for a Crm, as a separate entry point so the
 * core bundle stays small.
 *
 * @example
 * ```ts
 * import { withIo } from 'rapport/io';
 * const io = withIo(crm);
 * const report = await io.import.csv('customers', file, { mapping: { Name: 'name', Email: 'emails.0.address' } });
 * ```
 * @module
 */
export { withIo, createImporter, createExporter } from './io';
export type { Importer, Exporter, IoCrm } from './io';
export type { CsvImportOptions, DedupeKey, ImportOptions, ImportProgress, ImportReport, ImportRowError, JsonImportOptions } from './import';
export type { CsvExportOptions, ExportOptions, ExportQuery, ExportStream } from './export';
export type { ImportInput } from './source';
export type { ColumnMapping, FieldMapping, MappingFunction } from './mapping';
export type { ConvertOptions, FieldType } from './convert';
export { convertText } from './convert';
export { createCsvParser, parseCsv } from './csv-parse';
export type { CsvParseOptions, CsvParser, CsvRecord } from './csv-parse';
export { csvCell, csvLine, guardFormula, writeCsv } from './csv-write';
export { createJsonSplitter } from './json-parse';
export type { JsonElement, JsonSplitOptions, JsonSplitter } from './json-parse';
