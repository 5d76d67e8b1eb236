/**
 * The engine: validates, authorizes, derives, writes atomically (record + audit), emits.
 * One engine serves every view (`crm.as(actor)`) of a Crm.
 *
 * @internal
 * @module
 */
import { StorageError, ValidationError } from '../errors';
import type { EventBus } from '../events';
import type { Policy } from '../permissions/policy';
import type { IndexSpec, StorageAdapter } from '../storage/adapter';
import { compileEntity, storageSchema } from './compile';
import { declaredIndexes, indexProblems } from './indexes';
import { optionIssues } from '../internal/issues';
import type { CompiledEntity } from './compile';
import type { CustomFieldsConfig } from './custom-fields';
import type { EntityModule } from './entity';
import { retokenizeIfNeeded } from './retokenize';
import type { Clock } from './types';

/** Everything one engine holds. */
export interface Engine {
  readonly storage: StorageAdapter;
  readonly clock: Clock;
  readonly nextId: () => string;
  readonly timeZone: string;
  readonly policy: Policy;
  readonly events: EventBus<Record<string, unknown>>;
  readonly entities: ReadonlyMap<string, CompiledEntity>;
  /** Identifies this engine among others on the same storage (for leases). */
  readonly instanceId: string;
  /** Audit reads as `view` entries. */
  readonly auditReads: boolean;
  /** Now as an ISO 8601 UTC string. */
  now(): string;
  /** The compiled entity of a collection. */
  entity(collection: string): CompiledEntity;
  /** Whether `close()` ran. */
  closed: boolean;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  storage: StorageAdapter;
  clock: Clock;
  nextId: () => string;
  timeZone: string;
  policy: Policy;
  events: EventBus<Record<string, unknown>>;
  modules: readonly EntityModule[];
  customFields: CustomFieldsConfig;
  /** Indexes the host app declares, per collection (validated here, before storage opens). */
  indexes?: Readonly<Record<string, readonly IndexSpec[]>> | undefined;
  auditReads: boolean;
  schemaVersion: number;
}

/** Compile the entities and open the storage. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const entities = new Map<string, CompiledEntity>();
  const problems: string[] = [];
  for (const collection of Object.keys(options.indexes ?? {})) {
    if (!options.modules.some((m) => m.collection === collection)) problems.push(`indexes.${collection}: unknown collection`);
  }
  for (const m of options.modules) {
    let entity = compileEntity(m, { ...(options.customFields[m.collection] ?? {}) });
    const declared = options.indexes?.[m.collection];
    if (declared !== undefined) {
      const found = indexProblems(m.collection, declared, entity);
      problems.push(...found);
      if (!found.length) entity = { ...entity, allIndexes: [...entity.allIndexes, ...declaredIndexes(declared, entity)] };
    }
    entities.set(m.collection, entity);
  }
  if (problems.length) {
    throw new ValidationError(optionIssues(problems));
  }
  await options.storage.open(storageSchema(entities.values(), options.schemaVersion));
  await retokenizeIfNeeded(options.storage, entities.values());
  const engine: Engine = {
    storage: options.storage,
    clock: options.clock,
    nextId: options.nextId,
    timeZone: options.timeZone,
    policy: options.policy,
    events: options.events,
    entities,
    instanceId: options.nextId(),
    auditReads: options.auditReads,
    closed: false,
    now: () => new Date(options.clock()).toISOString(),
    entity(collection) {
      const e = entities.get(collection);
      if (!e) throw new StorageError(`unknown collection "${collection}"`, { collection });
      return e;
    },
  };
  return engine;
}
