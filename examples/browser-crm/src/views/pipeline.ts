/**
 * The pipeline board: one column per stage, one card per deal. Buttons (or drag and drop)
 * call `crm.deals.moveToStage`, `win`, `lose` and `reopen`; the board itself is drawn from a
 * live query (`crm.deals.watch`), so it follows every change, from this tab or another.
 */
import type { Deal, Pipeline, Stage } from 'rapport';
import { app, attempt, denied, deniedTitle } from '../app';
import { badge, h, money, percent, replace, select, when } from '../dom';

let selected: string | undefined;

/** Draw the board of the selected pipeline. */
export async function renderPipeline(root: HTMLElement): Promise<() => void> {
  const crm = app.crm;
  const { items: pipelines } = await crm.pipelines.find({ orderBy: [{ field: 'name' }] });
  const pipeline = pipelines.find((p) => p.id === selected) ?? pipelines[0];
  if (!pipeline) {
    root.append(h('h1', {}, 'Pipeline'), h('p', { class: 'muted' }, 'No pipeline yet.'));
    return () => {};
  }
  selected = pipeline.id;
  const names = new Map<string, string>();
  const board = h('div', { class: 'board', 'data-testid': 'board' });
  const rate = h('span', { class: 'kpi', 'data-testid': 'board-winrate' });

  const picker = select({ 'data-testid': 'pipeline-select' }, pipelines.map((p) => [p.id, p.name] as const), pipeline.id);
  picker.addEventListener('change', () => {
    selected = picker.value;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });

  async function draw(deals: Deal[]): Promise<void> {
    const missing = [...new Set(deals.map((d) => d.customerId).filter((id): id is string => !!id && !names.has(id)))];
    if (missing.length) for (const c of await crm.customers.getMany(missing)) if (c) names.set(c.id, c.name);
    replace(board, ...pipeline!.stages.map((stage) => column(pipeline!, stage, deals.filter((d) => d.stageId === stage.id), names)));
    const w = await crm.reports.winRate({ pipelineId: pipeline!.id });
    rate.textContent = `Win rate ${percent(w.totals.rate)} · ${w.totals.won} won / ${w.totals.lost} lost`;
  }

  const live = crm.deals.watch({ where: { field: 'pipelineId', op: 'eq', value: pipeline.id }, orderBy: [{ field: 'title' }], limit: 500 });
  const first = await live.ready;
  await draw(first.items);
  const stop = live.subscribe((snapshot) => void draw(snapshot.items));

  root.append(
    h('div', { class: 'title-row' }, h('h1', {}, 'Pipeline'), picker, rate),
    h('p', { class: 'muted small' }, 'Drag a card to another column, or use its buttons. The board is a live query: it updates from any tab.'),
    board,
  );
  return () => {
    stop();
    live();
  };
}

function column(pipeline: Pipeline, stage: Stage, deals: Deal[], names: Map<string, string>): HTMLElement {
  const total = deals.reduce((sum, d) => sum + (d.value?.amount ?? 0), 0);
  const col = h('section', { class: `column ${stage.category}`, 'data-testid': `stage-${stage.id}`, 'data-stage': stage.id },
    h('header', {},
      h('strong', {}, stage.name),
      h('span', { class: 'muted small' }, `${deals.length} · ${money({ amount: total, currency: 'EUR' })}${stage.category === 'open' ? ` · ${percent(stage.probability)}` : ''}`),
    ),
    ...deals.map((d) => card(pipeline, d, names)),
  );
  col.addEventListener('dragover', (event) => {
    event.preventDefault();
    col.classList.add('over');
  });
  col.addEventListener('dragleave', () => col.classList.remove('over'));
  col.addEventListener('drop', (event) => {
    event.preventDefault();
    col.classList.remove('over');
    const id = event.dataTransfer?.getData('text/deal');
    if (id) void moveTo(id, stage);
  });
  return col;
}

async function moveTo(id: string, stage: Stage): Promise<void> {
  const deal = await app.crm.deals.get(id);
  if (deal.stageId === stage.id) return;
  if (deal.status !== 'open') await attempt(() => (stage.category === 'open' ? app.crm.deals.reopen(id, { stageId: stage.id }) : Promise.reject(new Error('Reopen the deal before closing it again.'))));
  else await attempt(() => app.crm.deals.moveToStage(id, stage.id));
}

function card(pipeline: Pipeline, deal: Deal, names: Map<string, string>): HTMLElement {
  const refused = denied('update', 'deals', deal);
  const open = pipeline.stages.filter((s) => s.category === 'open');
  const at = open.findIndex((s) => s.id === deal.stageId);
  const button = (label: string, testId: string, run: () => Promise<unknown>, enabled = true) =>
    h('button', { type: 'button', class: `small ${testId}`, disabled: refused || !enabled, title: refused ? deniedTitle('update', 'deals') : null, 'data-testid': testId, onclick: () => void attempt(run) }, label);
  const deals = app.crm.deals;
  const el = h('article', { class: `deal ${deal.status}`, draggable: refused ? 'false' : 'true', 'data-testid': 'deal-card', 'data-title': deal.title, 'data-status': deal.status },
    h('div', { class: 'deal-title', dir: 'auto' }, deal.title),
    h('div', { class: 'muted small', dir: 'auto' }, deal.customerId ? (names.get(deal.customerId) ?? '') : ''),
    h('div', { class: 'deal-meta' }, h('strong', {}, money(deal.value)), deal.status === 'open' ? h('span', { class: 'muted small' }, `close ${when(deal.expectedCloseAt, false)}`) : badge(deal.status, `status-${deal.status}`)),
    h('div', { class: 'actions' },
      ...(deal.status === 'open'
        ? [
            button('◀', 'move-back', () => deals.moveToStage(deal.id, open[at - 1]!.id), at > 0),
            button('▶', 'move-next', () => deals.moveToStage(deal.id, open[at + 1]!.id), at >= 0 && at < open.length - 1),
            button('Won', 'win-deal', () => deals.win(deal.id)),
            button('Lost', 'lose-deal', () => deals.lose(deal.id, { reason: 'Marked lost on the board' })),
          ]
        : [button('Reopen', 'reopen-deal', () => deals.reopen(deal.id))]),
    ),
  );
  el.addEventListener('dragstart', (event) => {
    event.dataTransfer?.setData('text/deal', deal.id);
    el.classList.add('dragging');
  });
  el.addEventListener('dragend', () => el.classList.remove('dragging'));
  return el;
}
