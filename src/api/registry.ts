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
import { ticketsModule } from '../entities/tickets';
import { pipelinesModule } from '../entities/pipelines';
import { dealsModule } from '../entities/deals';
import { SALES_REPORTS } from '../reports/sales/index';
import { slaBreachJob } from '../service/breaches';
import { SERVICE_REPORTS } from '../reports/service/index';
import { makeCustomers } from './customers';
import { makeInteractions } from './interactions';
import { makeTickets } from './tickets';
import { makePipelines } from './pipelines';
import { makeDeals } from './deals';
import { campaignsModule } from '../entities/campaigns';
import { segmentsModule } from '../entities/segments';
import { automationRunsModule, automationsModule } from '../entities/automations';
import { MARKETING_REPORTS } from '../reports/marketing/index';
import { automationJob } from '../marketing/automation-job';
import { reminderJob } from '../marketing/reminder-job';
import { makeCampaigns } from './campaigns';
import { makeSegments } from './segments';
import { makeReminders } from './reminders';
import { makeAutomations } from './automations';

/** Every entity module, in declaration order. */
export const MODULES: readonly EntityModule[] = [customersModule, interactionsModule, ticketsModule, pipelinesModule, dealsModule, campaignsModule, segmentsModule, automationsModule, automationRunsModule];

/** The API objects of a view, by property name on the Crm. */
export const APIS: Readonly<Record<string, (ctx: OpContext) => unknown>> = {
  customers: makeCustomers,
  interactions: makeInteractions,
  tickets: makeTickets,
  pipelines: makePipelines,
  deals: makeDeals,
  campaigns: makeCampaigns,
  segments: makeSegments,
  reminders: makeReminders,
  automations: makeAutomations,
};

/** A report: runs on the engine as the view's actor and returns a plain table. */
export type ReportFn = (ctx: OpContext, ...args: never[]) => Promise<unknown>;

/** Reports under `crm.reports`, by name. */
export const REPORTS: Readonly<Record<string, ReportFn>> = { ...SERVICE_REPORTS, ...SALES_REPORTS, ...MARKETING_REPORTS };

/** Jobs the authority runs on every worker tick. */
export const JOBS: readonly ((engine: Engine) => Job)[] = [slaBreachJob, reminderJob, automationJob];
