/**
 * Record plumbing: the user-writable view of a stored record, derived fields, the public
 * view handed to callers, and the field-level changes between two versions.
 *
 * @internal
 * @module
 */
import { valuesEqual } from '../query/order';
import type { StoredRecord } from '../storage/adapter';
import type { CompiledEntity } from './compile';
import { searchTokens } from './tokens';

/** Fields only the engine writes. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/** The part of a stored record a caller writes: no system fields, no `_` fields. */
export function writableView(record: StoredRecord, entity: CompiledEntity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const engineOnly = new Set(entity.engineFields ?? []);
  for (const [k, v] of Object.entries(record)) {
    if (SYSTEM_FIELDS.has(k) || k.startsWith('_') || engineOnly.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Engine-kept fields of a stored record (kept across updates unless `prepare` changes them). */
export function engineView(record: StoredRecord, entity: CompiledEntity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of entity.engineFields ?? []) if (record[k] !== undefined) out[k] = record[k];
  return out;
}

/**
 * Add derived fields and search tokens to a record about to be stored. Given the stored
 * `previous` version, its tokens are kept when no field they come from changed: most updates
 * (a tier, a custom field) touch no searchable text, and tokenizing is the dearest derivation.
 */
export function withDerived(record: StoredRecord, entity: CompiledEntity, previous?: StoredRecord): StoredRecord {
  for (const d of entity.derived ?? []) {
    const v = d.compute(record);
    if (v === undefined || (Array.isArray(v) && v.length === 0)) delete record[d.field];
    else record[d.field] = v;
  }
  if (entity.search?.length) {
    const kept = previous?.['_tokens'];
    record['_tokens'] = Array.isArray(kept) && sameSearchSources(record, previous as StoredRecord, entity) ? kept : searchTokens(record, entity.search);
  }
  return record;
}

/** Whether every top-level field that search paths start from holds the same value in both. */
function sameSearchSources(a: StoredRecord, b: StoredRecord, entity: CompiledEntity): boolean {
  for (const f of entity.search ?? []) {
    const dot = f.path.indexOf('.');
    const top = dot < 0 ? f.path : f.path.slice(0, dot);
    if (!valuesEqual(a[top], b[top])) return false;
  }
  return true;
}

/** The record as callers see it: every `_` field removed, minus hidden fields. */
export function publicView<T>(record: StoredRecord, hidden?: ReadonlySet<string>): T {
  for (const k of Object.keys(record)) {
    if (k.startsWith('_')) delete record[k];
  }
  if (hidden && hidden.size) {
    for (const f of hidden) {
      if (f.startsWith('custom.')) {
        const custom = record['custom'] as Record<string, unknown> | undefined;
        if (custom) delete custom[f.slice(7)];
      } else {
        delete record[f];
      }
    }
  }
  return record as unknown as T;
}

/** What changed, field by field (custom fields as `custom.name`): `[before, after]`, `null` for absent. */
export type Changes = Record<string, [unknown, unknown]>;

/** Field-level changes between two versions of a record (system and `_` fields ignored). */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const out: Changes = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (SYSTEM_FIELDS.has(k) || k.startsWith('_')) continue;
    if (k === 'custom') {
      const b = (before[k] ?? {}) as Record<string, unknown>;
      const a = (after[k] ?? {}) as Record<string, unknown>;
      for (const ck of new Set([...Object.keys(b), ...Object.keys(a)])) {
        if (!valuesEqual(b[ck], a[ck])) out[`custom.${ck}`] = [b[ck] ?? null, a[ck] ?? null];
      }
      continue;
    }
    if (!valuesEqual(before[k], after[k])) out[k] = [before[k] ?? null, after[k] ?? null];
  }
  return out;
}
