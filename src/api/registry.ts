/**
 * What a Crm is made of: every entity module, the API object each view builds for it, the
 * reports under `crm.reports`, and the jobs `startWorkers()` runs on the authority. Adding
 * a feature is adding entries here, not rewiring the facade.
 *
 * @internal
 * @module
 */
import type { EntityModule } from '../engine/entity';
import type { Engine } from '../engine/engine';
import type { OpContext } from '../engine/guard';
import type { Job } from '../engine/workers';
import { customersModule } from '../entities/customers';
import { interactionsModule } from '../entities/interactions';
import { makeCustomers } from './customers';
import { makeInteractions } from './interactions';

/** Every entity module, in declaration order. */
export const MODULES: readonly EntityModule[] = [customersModule, interactionsModule];

/** The API objects of a view, by property name on the Crm. */
export const APIS: Readonly<Record<string, (ctx: OpContext) => unknown>> = {
  customers: makeCustomers,
  interactions: makeInteractions,
};

/** A report: runs on the engine as the view's actor and returns a plain table. */
export type ReportFn = (ctx: OpContext, ...args: never[]) => Promise<unknown>;

/** Reports under `crm.reports`, by name. */
export const REPORTS: Readonly<Record<string, ReportFn>> = {};

/** Jobs the authority runs on every worker tick. */
export const JOBS: readonly ((engine: Engine) => Job)[] = [];
