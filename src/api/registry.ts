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
import { makeCustomers } from './customers';
import { makeAutomations, makeDeals, makeInteractions, makePipelines, makeReminders, makeSegments, makeTickets } from './lazy';
import { campaignsModule } from '../entities/campaigns';
import { segmentsModule } from '../entities/segments';
import { automationRunsModule, automationsModule } from '../entities/automations';
import { makeCampaigns } from './campaigns';

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

type ReportGroup = () => Promise<Readonly<Record<string, ReportFn>>>;

// Reports and jobs load on first use: a host app that never runs a report or starts the
// workers never downloads them (bundlers split each dynamic import into its own chunk).
// The names are listed here so `crm.reports` has every key before anything is loaded; a
// test checks each list against its module.
const serviceReports: ReportGroup = () => import('../reports/service/index').then((m) => m.SERVICE_REPORTS);
const salesReports: ReportGroup = () => import('../reports/sales/index').then((m) => m.SALES_REPORTS);
const marketingReports: ReportGroup = () => import('../reports/marketing/index').then((m) => m.MARKETING_REPORTS);

/** Each report module and the names of the reports it holds. */
export const REPORT_GROUPS: readonly (readonly [ReportGroup, readonly string[]])[] = [
  [serviceReports, ['ticketVolume', 'ticketBacklog', 'ticketResolutionTime', 'ticketFirstResponseTime', 'ticketSlaCompliance', 'ticketReopenRate']],
  [salesReports, ['pipelineSummary', 'forecast', 'winRate', 'salesCycle', 'stageFunnel', 'leaderboard', 'quotaAttainment']],
  [marketingReports, ['campaignPerformance', 'sourcePerformance', 'customerBase', 'customerValue']],
];

/** Reports under `crm.reports`, by name. */
export const REPORTS: Readonly<Record<string, ReportFn>> = Object.fromEntries(
  REPORT_GROUPS.flatMap(([load, names]) =>
    names.map((name): [string, ReportFn] => [
      name,
      async (ctx, ...args) => {
        const reports = await load();
        return (reports[name] as ReportFn)(ctx, ...args);
      },
    ]),
  ),
);

/** A job whose code loads on its first run, on the authority only. */
function lazyJob(name: string, load: () => Promise<(engine: Engine) => Job>): (engine: Engine) => Job {
  return (engine) => {
    let job: Job | undefined;
    return {
      name,
      async run(signal) {
        job ??= (await load())(engine);
        return job.run(signal);
      },
    };
  };
}

/** Jobs the authority runs on every worker tick. */
export const JOBS: readonly ((engine: Engine) => Job)[] = [
  lazyJob('ticket-sla-breaches', () => import('../service/breaches').then((m) => m.slaBreachJob)),
  lazyJob('reminders', () => import('../marketing/reminder-job').then((m) => m.reminderJob)),
  lazyJob('automations', () => import('../marketing/automation-job').then((m) => m.automationJob)),
];
