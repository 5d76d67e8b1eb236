/**
 * The engine: validates, authorizes, derives, writes atomically (record + audit), emits.
 * One engine serves every view (`crm.as(actor)`) of a Crm.
 *
 * @internal
 * @module
 */
import { StorageError } from '../errors';
import type { EventBus } from '../events';
import type { Policy } from '../permissions/policy';
import type { StorageAdapter } from '../storage/adapter';
import { compileEntity, storageSchema } from './compile';
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
  auditReads: boolean;
  schemaVersion: number;
}

/** Compile the entities and open the storage. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const entities = new Map<string, CompiledEntity>();
  for (const m of options.modules) {
    entities.set(m.collection, compileEntity(m, { ...(options.customFields[m.collection] ?? {}) }));
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
