/**
 * Tickets with their SLA state: due dates of the first response and the resolution, the
 * breach flags the background job sets (`firstResponseBreachedAt`, `resolutionBreachedAt`),
 * and what is at risk within the next two hours (`crm.tickets.atRisk`). Drawn from a live
 * query, so a breach flagged by the job shows up without a reload.
 */
import type { Ticket } from 'rapport';
import { app, attempt, denied, deniedTitle } from '../app';
import { badge, h, relative, replace, when } from '../dom';

const PRIORITY_ORDER = ['urgent', 'high', 'normal', 'low'];
const AT_RISK_MINUTES = 120;

type TargetState = 'met' | 'breached' | 'overdue' | 'at risk' | 'on track' | 'paused' | 'none';

function targetState(t: Ticket, target: 'firstResponse' | 'resolution', risky: Set<string>): TargetState {
  const due = target === 'firstResponse' ? t.firstResponseDueAt : t.resolutionDueAt;
  const done = target === 'firstResponse' ? t.firstRespondedAt : t.resolvedAt;
  const breached = target === 'firstResponse' ? t.firstResponseBreachedAt : t.resolutionBreachedAt;
  if (!due) return 'none';
  if (breached) return 'breached';
  if (done) return done <= due ? 'met' : 'breached';
  if (t.status === 'pending' && t.sla?.pauseWhilePending) return 'paused';
  if (Date.parse(due) < Date.now()) return 'overdue';
  return risky.has(`${t.id}:${target}`) ? 'at risk' : 'on track';
}

const KIND: Record<TargetState, string> = { met: 'ok', breached: 'bad', overdue: 'bad', 'at risk': 'warn', 'on track': 'subtle', paused: 'subtle', none: 'subtle' };

/** Draw the tickets page. */
export async function renderTickets(root: HTMLElement): Promise<() => void> {
  const crm = app.crm;
  const names = new Map<string, string>();
  const tbody = h('tbody');
  const risk = h('ul', { class: 'risk', 'data-testid': 'at-risk' });
  const policies = await crm.tickets.slaPolicies();

  async function draw(tickets: Ticket[]): Promise<void> {
    const atRisk = await crm.tickets.atRisk({ within: AT_RISK_MINUTES });
    const risky = new Set(atRisk.map((r) => `${r.ticket.id}:${r.target}`));
    const missing = [...new Set(tickets.map((t) => t.customerId).filter((id) => !names.has(id)))];
    if (missing.length) for (const c of await crm.customers.getMany(missing)) if (c) names.set(c.id, c.name);
    const sorted = [...tickets].sort((a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority) || a.openedAt.localeCompare(b.openedAt));
    replace(tbody, ...sorted.map((t) => row(t, risky, names)));
    replace(risk,
      ...atRisk.map((r) => h('li', { 'data-testid': 'at-risk-item' }, badge(r.ticket.priority, `priority-${r.ticket.priority}`), ' ', h('strong', { dir: 'auto' }, r.ticket.subject), ` — ${r.target === 'firstResponse' ? 'first response' : 'resolution'} due ${relative(r.dueAt)} (${when(r.dueAt)})`)),
      atRisk.length ? null : h('li', { class: 'muted' }, `Nothing falls due in the next ${AT_RISK_MINUTES / 60} hours.`),
    );
  }

  const live = crm.tickets.watch({ orderBy: [{ field: 'openedAt', direction: 'desc' }], limit: 200 });
  await draw((await live.ready).items);
  const stop = live.subscribe((snapshot) => void draw(snapshot.items));

  root.append(
    h('h1', {}, 'Tickets'),
    h('div', { class: 'columns' },
      h('section', { class: 'card' }, h('h2', {}, `At risk — due within ${AT_RISK_MINUTES / 60} hours`), risk),
      h('section', { class: 'card' },
        h('h2', {}, 'SLA policies'),
        h('table', { class: 'table compact', 'data-testid': 'sla-policies' },
          h('thead', {}, h('tr', {}, ...['Priority', 'First response', 'Resolution', 'Hours'].map((x) => h('th', {}, x)))),
          h('tbody', {}, ...[...policies].sort((a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority)).map((p) =>
            h('tr', {},
              h('td', {}, badge(p.priority, `priority-${p.priority}`)),
              h('td', {}, minutes(p.firstResponseMinutes)),
              h('td', {}, minutes(p.resolutionMinutes)),
              h('td', { class: 'small' }, p.businessHours ? `${p.businessHours.days.join(' ')} ${p.businessHours.start}–${p.businessHours.end}` : 'around the clock'),
            ))),
        ),
      ),
    ),
    h('section', { class: 'card flush' },
      h('table', { class: 'table', 'data-testid': 'ticket-table' },
        h('thead', {}, h('tr', {}, ...['Ticket', 'Customer', 'Priority', 'Status', 'First response', 'Resolution', ''].map((x) => h('th', {}, x)))),
        tbody,
      ),
    ),
  );
  return () => {
    stop();
    live();
  };
}

function minutes(m: number | undefined): string {
  if (m === undefined) return '–';
  return m >= 60 ? `${+(m / 60).toFixed(1)} h` : `${m} min`;
}

function sla(t: Ticket, target: 'firstResponse' | 'resolution', risky: Set<string>): HTMLElement {
  const state = targetState(t, target, risky);
  const due = target === 'firstResponse' ? t.firstResponseDueAt : t.resolutionDueAt;
  const flagged = target === 'firstResponse' ? t.firstResponseBreachedAt : t.resolutionBreachedAt;
  return h('td', { 'data-testid': `sla-${target}`, 'data-state': state },
    badge(state, KIND[state]),
    flagged ? h('span', { class: 'flag', title: `breach recorded ${when(flagged)}` }, ' ⚑') : null,
    due ? h('div', { class: 'muted small' }, `due ${when(due)}${state === 'met' ? '' : ` · ${relative(due)}`}`) : null,
  );
}

function row(t: Ticket, risky: Set<string>, names: Map<string, string>): HTMLElement {
  const refused = denied('update', 'tickets', t);
  const action = (label: string, testId: string, run: () => Promise<unknown>) =>
    h('button', { type: 'button', class: 'small', disabled: refused, title: refused ? deniedTitle('update', 'tickets') : null, 'data-testid': testId, onclick: () => void attempt(run) }, label);
  const tickets = app.crm.tickets;
  return h('tr', { 'data-testid': 'ticket-row', 'data-priority': t.priority },
    h('td', {}, h('strong', { dir: 'auto' }, t.subject), h('div', { class: 'muted small' }, `${t.category ?? ''} · opened ${when(t.openedAt)}`)),
    h('td', {}, h('bdi', {}, names.get(t.customerId) ?? '')),
    h('td', {}, badge(t.priority, `priority-${t.priority}`)),
    h('td', {}, badge(t.status, `status-${t.status}`)),
    sla(t, 'firstResponse', risky),
    sla(t, 'resolution', risky),
    h('td', { class: 'actions' },
      t.status === 'new' || t.status === 'pending' ? action('Start', 'start-ticket', () => tickets.start(t.id)) : null,
      t.status === 'new' || t.status === 'open' || t.status === 'pending' ? action('Resolve', 'resolve-ticket', () => tickets.resolve(t.id, { resolution: 'Resolved from the showcase' })) : null,
    ),
  );
}
