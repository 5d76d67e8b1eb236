import { describe, expect, it } from 'vitest';
import { createCrm } from 'rapport';
import { JOBS, REPORT_GROUPS, REPORTS } from '../../src/api/registry';
import { MARKETING_REPORTS } from '../../src/reports/marketing/index';
import { SALES_REPORTS } from '../../src/reports/sales/index';
import { SERVICE_REPORTS } from '../../src/reports/service/index';

describe('the registry', () => {
  it('lists, for each lazily loaded report module, exactly the reports that module holds', async () => {
    const loaded = await Promise.all(REPORT_GROUPS.map(([load]) => load()));
    expect(REPORT_GROUPS.map(([, names]) => [...names].sort())).toEqual(loaded.map((reports) => Object.keys(reports).sort()));
    expect(loaded).toEqual([SERVICE_REPORTS, SALES_REPORTS, MARKETING_REPORTS]);
    expect(Object.keys(REPORTS).sort()).toEqual([...Object.keys(SERVICE_REPORTS), ...Object.keys(SALES_REPORTS), ...Object.keys(MARKETING_REPORTS)].sort());
  });

  it('offers every report on crm.reports before any report module is loaded, and runs it on first call', async () => {
    const crm = await createCrm({ clock: () => Date.parse('2025-03-10T12:00:00Z') });
    expect(Object.keys(crm.reports).sort()).toEqual(Object.keys(REPORTS).sort());
    const pipeline = await crm.pipelines.create({
      name: 'Sales',
      stages: [
        { id: 'open', name: 'Open', probability: 0.5, category: 'open' },
        { id: 'won', name: 'Won', probability: 1, category: 'won' },
        { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
      ],
    });
    await crm.deals.create({ title: 'A', pipelineId: pipeline.id, value: { amount: 100, currency: 'EUR' } });
    const summary = await crm.reports.pipelineSummary({});
    expect(summary.rows.map((row) => [row.stageId, row.count])).toEqual([
      ['open', 1],
      ['won', 0],
      ['lost', 0],
    ]);
    await crm.close();
  });

  it('names each job before its code is loaded', () => {
    expect(JOBS.map((make) => make({} as never).name)).toEqual(['ticket-sla-breaches', 'reminders', 'automations']);
  });
});
