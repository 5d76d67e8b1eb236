/**
 * Keeping stored derived fields (search tokens, materialized index fields) in step with the
 * code that derives them.
 *
 * @internal
 * @module
 */
import { isConflictError, isNotFoundError } from '../errors';
import { canonicalJson } from '../query/order';
import { TOKENIZER_VERSION } from '../search/index';
import type { StorageAdapter, WriteOp } from '../storage/adapter';
import type { CompiledEntity } from './compile';
import { withDerived } from './record';

/**
 * Re-derive stored records whose derived fields were computed by an older tokenizer or
 * another search/derived-field configuration. A marker per collection in the `system`
 * collection records what the stored `_tokens` were made with; when it differs, every record
 * is re-tokenized in pages (its version unchanged: its content did not change), then the
 * marker is updated. Safe to run from two engines at once: both write the same tokens.
 */
export async function retokenizeIfNeeded(storage: StorageAdapter, entities: Iterable<CompiledEntity>): Promise<void> {
  for (const entity of entities) {
    if (!entity.search?.length && !entity.derived?.length) continue;
    const id = `derived:${entity.collection}`;
    const marker = canonicalJson({
      tokenizer: TOKENIZER_VERSION,
      search: entity.search ?? [],
      derived: (entity.derived ?? []).map((d) => [d.field, d.path ?? null, d.compute.toString()]),
    });
    const [stored] = await storage.get('system', [id]);
    if (stored?.['marker'] === marker) continue;
    let cursor: string | undefined;
    do {
      const page = await storage.query(entity.collection, { limit: 500, cursor });
      const ops: WriteOp[] = [];
      for (const record of page.items) {
        const before = canonicalJson(record);
        withDerived(record, entity);
        if (canonicalJson(record) !== before) ops.push({ type: 'update', collection: entity.collection, record, expectedVersion: record.version });
      }
      if (ops.length) {
        // A concurrent writer re-derives the record itself; losing this race is fine.
        await storage.write(ops).catch((error: unknown) => {
          if (!isConflictError(error) && !isNotFoundError(error)) throw error;
        });
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const next = { id, version: (stored?.version ?? 0) + 1, marker };
    await storage
      .write([stored ? { type: 'update', collection: 'system', record: next, expectedVersion: stored.version } : { type: 'insert', collection: 'system', record: next }])
      .catch((error: unknown) => {
        if (!isConflictError(error)) throw error;
      });
  }
}
