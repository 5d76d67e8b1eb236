/**
 * Compiles entity modules and custom fields into what the engine runs: one record schema
 * per collection and the storage schema (indexes) declared to the adapter.
 *
 * @internal
 * @module
 */
import * as z from 'zod/mini';
import { dateTime, idString } from '../entities/common';
import type { IndexSpec, StorageSchema } from '../storage/adapter';
import { customSchema } from './custom-fields';
import type { CustomFieldDefinition } from './custom-fields';
import type { EntityModule } from './entity';

/** An entity module with its compiled schema and full index list. */
export interface CompiledEntity extends EntityModule {
  /** Validates the user-writable view of a whole record (create input, or a record after a patch). */
  schema: z.ZodMiniType<Record<string, unknown>>;
  /** Custom field definitions. */
  customFields: Record<string, CustomFieldDefinition>;
  /** Every index the storage keeps for it. */
  allIndexes: IndexSpec[];
  /** Paths whose conditions are rewritten to derived fields. */
  rewrites: Map<string, string>;
}

/** Base fields a caller may write. */
const baseShape = {
  ownerId: z.optional(idString),
  teamId: z.optional(idString),
  externalId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  archivedAt: z.optional(dateTime),
};

/** Indexes every collection has. */
const baseIndexes: IndexSpec[] = [
  { name: 'createdAt', fields: ['createdAt'] },
  { name: 'updatedAt', fields: ['updatedAt'] },
  { name: 'ownerId', fields: ['ownerId'] },
  { name: 'teamId', fields: ['teamId'] },
  { name: 'externalId', fields: ['externalId'], unique: true },
  // Sparse (only archived records have the field): lets an adapter answer the engine's
  // `archivedAt exists: false` by subtracting the few archived records, without reading the rest.
  { name: 'archivedAt', fields: ['archivedAt'] },
];

/** Compile one entity module with its custom fields. */
export function compileEntity(module: EntityModule, customFields: Record<string, CustomFieldDefinition> = {}): CompiledEntity {
  const hasCustomRequired = Object.values(customFields).some((d) => d.required);
  const custom = customSchema(customFields);
  const schema = z.strictObject({
    ...baseShape,
    ...module.shape,
    custom: hasCustomRequired ? custom : z._default(custom, () => ({})),
  }) as unknown as z.ZodMiniType<Record<string, unknown>>;
  const indexes = [...baseIndexes, ...module.indexes];
  if (module.search?.length) indexes.push({ name: '_tokens', fields: ['_tokens'], multiEntry: true });
  for (const [name, def] of Object.entries(customFields)) {
    if (def.indexed) indexes.push({ name: `custom.${name}`, fields: [`custom.${name}`], multiEntry: def.type === 'multiSelect' });
  }
  const rewrites = new Map<string, string>();
  for (const d of module.derived ?? []) if (d.path) rewrites.set(d.path, d.field);
  return { ...module, schema, customFields, allIndexes: indexes, rewrites };
}

/** Engine-owned collections: the audit trail and its redactable values, and leases. */
export const SYSTEM_COLLECTIONS: StorageSchema['collections'] = {
  audit: {
    indexes: [
      { name: 'recordId_at', fields: ['recordId', 'at'] },
      { name: 'actorId_at', fields: ['actorId', 'at'] },
      { name: 'collection_at', fields: ['collection', 'at'] },
      { name: 'at', fields: ['at'] },
    ],
  },
  auditValues: { indexes: [{ name: 'recordId', fields: ['recordId'] }] },
  // The HTTP handler's stored answers and create markers expire by kind and age.
  system: { indexes: [{ name: 'kind_at', fields: ['kind', 'at'] }] },
};

/** The storage schema for a set of compiled entities. */
export function storageSchema(entities: Iterable<CompiledEntity>, version = 1): StorageSchema {
  const collections: StorageSchema['collections'] = { ...SYSTEM_COLLECTIONS };
  for (const e of entities) collections[e.collection] = { indexes: e.allIndexes };
  return { version, collections };
}
