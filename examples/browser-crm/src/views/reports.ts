/**
 * Reports as charts: the forecast by month (`crm.reports.forecast`), the win rate per
 * pipeline (`crm.reports.winRate`) and campaign ROI (`crm.reports.campaignPerformance`).
 * A live query on deals re-runs them when a deal changes.
 */
import type { MoneyList } from 'rapport';
import { app } from '../app';
import { barChart, hBarChart } from '../charts';
import { compact, h, money, percent, replace } from '../dom';

const euros = (list: MoneyList | undefined) => (list?.find((m) => m.currency === 'EUR')?.amount ?? 0) / 100;
const monthStart = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString();
};

/** Draw the reports page. */
export async function renderReports(root: HTMLElement): Promise<() => void> {
  const crm = app.crm;
  const forecast = h('div', { 'data-testid': 'chart-forecast' });
  const winRate = h('div', { 'data-testid': 'chart-winrate' });
  const roi = h('div', { 'data-testid': 'chart-roi' });

  async function draw(): Promise<void> {
    const { items: pipelines } = await crm.pipelines.find();
    const names = new Map(pipelines.map((p) => [p.id, p.name]));

    const f = await crm.reports.forecast({ from: monthStart(-5), to: monthStart(7), unit: 'month', currency: 'EUR' });
    const months = f.rows.map((r) => new Date(r.start).toLocaleDateString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' }));
    replace(forecast,
      f.redacted.length ? h('p', { class: 'muted small' }, `Deal values are hidden for ${app.role}.`) : null,
      barChart({
        title: 'Forecast by month (EUR)',
        width: 1240,
        height: 300,
        categories: months,
        format: (n) => `€${compact(n)}`,
        series: [
          { name: 'Won', color: '#2f9e6e', values: f.rows.map((r) => euros(r.won)) },
          { name: 'Commit (open)', color: '#3b6fd8', values: f.rows.map((r) => euros(r.commit) - euros(r.won)) },
          { name: 'Weighted pipeline', color: '#8fb0f0', values: f.rows.map((r) => euros(r.weighted)) },
          { name: 'Pipeline (unweighted)', color: '#d3def6', values: f.rows.map((r) => euros(r.pipeline)) },
        ],
      }),
    );

    const w = await crm.reports.winRate({ by: 'pipeline' });
    const rows = [...w.rows.map((r) => ({ label: names.get(String(r.key)) ?? String(r.key), ...r })), { label: 'All pipelines', ...w.totals }];
    replace(winRate,
      h('p', { class: 'kpi', 'data-testid': 'winrate-total' }, `${percent(w.totals.rate)} won · ${w.totals.won} won / ${w.totals.lost} lost`),
      barChart({
        title: 'Win rate by pipeline',
        categories: rows.map((r) => `${r.label} (${r.won}/${r.closed})`),
        max: 1,
        labels: true,
        format: (n) => percent(n),
        series: [{ name: 'Won ÷ closed deals', color: '#2f9e6e', values: rows.map((r) => r.rate ?? 0) }],
        width: 600,
        height: 260,
      }),
    );

    replace(roi, await roiChart());
  }

  async function roiChart(): Promise<Node> {
    // Campaigns arrived with the marketing module; without it, show revenue by campaignId only.
    if (typeof crm.reports.campaignPerformance !== 'function') {
      const byCampaign = await crm.reports.winRate({ by: 'campaign' });
      return hBarChart({
        title: 'Revenue won by campaign',
        format: (n) => `€${compact(n)}`,
        bars: byCampaign.rows.map((r) => ({ label: String(r.key ?? 'none'), value: euros(r.wonValue), note: `${r.won} won (no cost recorded)` })),
      });
    }
    const p = await crm.reports.campaignPerformance();
    return hBarChart({
      title: 'Return on investment by campaign',
      width: 600,
      format: (n) => `${n > 0 ? '+' : ''}${Math.round(n * 100)}%`,
      bars: p.rows.map((r) => ({
        label: r.name,
        value: r.roi,
        note: r.roi === null ? `no ROI (${r.roiReason ?? 'n/a'})` : `ROI ${r.roi >= 0 ? '+' : ''}${Math.round(r.roi * 100)}% · ${money(r.revenue[0] ?? { amount: 0, currency: 'EUR' })} on ${money(r.cost)}`,
      })),
    });
  }

  await draw();
  const live = crm.deals.watch({ limit: 1000 });
  await live.ready;
  const stop = live.subscribe(() => void draw());

  root.append(
    h('h1', {}, 'Reports'),
    h('div', { class: 'charts' },
      h('section', { class: 'card wide' }, h('h2', {}, 'Forecast'), h('p', { class: 'muted small' }, 'Won by close date; open deals by expected close date, weighted by stage probability; commit adds open deals in commit stages.'), forecast),
      h('section', { class: 'card' }, h('h2', {}, 'Win rate'), winRate),
      h('section', { class: 'card' }, h('h2', {}, 'Campaign ROI'), h('p', { class: 'muted small' }, '(revenue of won deals − cost) ÷ cost, per campaign.'), roi),
    ),
  );
  return () => {
    stop();
    live();
  };
}
