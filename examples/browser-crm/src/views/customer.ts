/**
 * A customer's page: the record (with the fields the actor may not read shown as hidden),
 * an edit form, the timeline (`crm.customers.timeline`), kept live by a watch on the
 * customer's interactions, and a form to log or plan an interaction.
 */
import type { Customer, Interaction, InteractionType } from 'rapport';
import { app, attempt, denied, deniedTitle, show } from '../app';
import { badge, field, h, money, replace, select, when } from '../dom';

// Glyphs every system font has (emoji fonts are often missing on Linux).
const ICONS: Partial<Record<InteractionType, string>> = { call: '☎', email: '✉', meeting: '◉', note: '✎', task: '✔' };

/** Draw the page of customer `id`. */
export async function renderCustomer(root: HTMLElement, id: string): Promise<() => void> {
  const crm = app.crm;
  const customer = await crm.customers.get(id);
  const readable = new Set(crm.readableFields('customers'));
  const timeline = h('ol', { class: 'timeline', 'data-testid': 'timeline' });

  async function refreshTimeline(): Promise<void> {
    const { items } = await crm.customers.timeline(id, { limit: 100 });
    replace(timeline, ...items.map(entry), items.length ? null : h('li', { class: 'muted' }, 'Nothing on the timeline yet.'));
  }
  await refreshTimeline();
  // Another tab (or this one) writing an interaction of this customer re-draws the timeline.
  const live = crm.interactions.watch({ where: { field: 'customerId', op: 'eq', value: id }, limit: 200 });
  const stop = live.subscribe(() => void refreshTimeline());

  const masked = (f: string) => h('span', { class: 'masked', 'data-testid': `masked-${f.replace('custom.', '')}` }, `⊘ hidden for ${app.role}`);
  const show_ = (f: string, value: () => Node | string) => (readable.has(f) ? value() : masked(f));

  root.append(
    h('p', {}, h('a', { href: '#/customers' }, '← Customers')),
    h('div', { class: 'title-row' },
      h('h1', { dir: 'auto', 'data-testid': 'customer-name' }, customer.name),
      customer.tier ? badge(customer.tier, `tier-${customer.tier}`) : null,
      badge(customer.lifecycle, 'subtle'),
    ),
    h('div', { class: 'columns' },
      h('div', {},
        h('section', { class: 'card', 'data-testid': 'customer-details' },
          h('h2', {}, 'Details'),
          h('dl', { class: 'details' },
            h('dt', {}, 'Emails'), h('dd', {}, customer.emails.map((e) => e.address).join(', ') || '–'),
            h('dt', {}, 'Phones'), h('dd', { 'data-testid': 'customer-phones' }, show_('phones', () => customer.phones.map((p) => p.number).join(', ') || '–')),
            h('dt', {}, 'Address'), h('dd', { dir: 'auto' }, customer.addresses.map((a) => [a.city, a.country].filter(Boolean).join(', ')).join('; ') || '–'),
            h('dt', {}, 'Tags'), h('dd', {}, ...(customer.tags.length ? customer.tags.map((t) => badge(t, 'tag')) : ['–'])),
            h('dt', {}, 'Segment'), h('dd', {}, customer.custom.segment ?? '–'),
            h('dt', {}, 'Credit limit'), h('dd', {}, show_('custom.creditLimit', () => money(customer.custom.creditLimit))),
            h('dt', {}, 'Notes'), h('dd', { dir: 'auto', 'data-testid': 'customer-notes' }, show_('notes', () => customer.notes ?? '–')),
            h('dt', {}, 'Owner'), h('dd', {}, customer.ownerId ?? '–', customer.teamId ? ` · team ${customer.teamId}` : ''),
          ),
        ),
        editForm(customer, readable),
      ),
      h('div', {},
        interactionForm(customer),
        h('section', { class: 'card' }, h('h2', {}, 'Timeline'), timeline),
      ),
    ),
  );
  return () => {
    stop();
    live();
  };
}

function entry(i: Interaction): HTMLElement {
  const completable = i.status === 'planned';
  const refused = denied('update', 'interactions', i);
  return h('li', { class: `entry ${i.status}`, 'data-testid': 'timeline-item', 'data-type': i.type, 'data-status': i.status },
    h('span', { class: `icon ${i.type}` }, ICONS[i.type] ?? '•'),
    h('div', { class: 'grow' },
      h('div', {}, h('strong', { dir: 'auto' }, i.subject ?? i.type), ' ', badge(i.status, `status-${i.status}`), i.direction ? ` ${i.direction}` : ''),
      h('div', { class: 'muted small' }, `${i.type} · ${when(i.occurredAt ?? i.dueAt)}`),
    ),
    completable
      ? h('button', { type: 'button', class: 'small', disabled: refused, title: refused ? deniedTitle('update', 'interactions') : null, 'data-testid': 'complete-interaction', onclick: () => void attempt(() => app.crm.interactions.complete(i.id, { outcome: 'successful' })) }, 'Mark done')
      : null,
  );
}

function editForm(customer: Customer<{ segment?: string }>, readable: Set<string>): HTMLElement {
  const tier = select({ 'data-testid': 'edit-tier' }, [['', '–'], ['vip', 'VIP'], ['gold', 'Gold'], ['standard', 'Standard']], customer.tier ?? '');
  const tags = h('input', { value: customer.tags.join(', '), 'data-testid': 'edit-tags' });
  const notes = readable.has('notes') ? h('textarea', { rows: 3, dir: 'auto', 'data-testid': 'edit-notes' }, customer.notes ?? '') : null;
  const refused = denied('update', 'customers', customer);
  const form = h('form', { class: 'card form', 'data-testid': 'edit-customer-form' },
    h('h2', {}, 'Edit'),
    field('Tier', tier),
    field('Tags (comma separated)', tags),
    notes ? field('Notes', notes) : h('p', { class: 'muted small' }, `Notes are hidden for ${app.role}.`),
    h('button', { type: 'submit', disabled: refused, title: refused ? deniedTitle('update', 'customers') : null, 'data-testid': 'save-customer' }, 'Save changes'),
    refused ? h('p', { class: 'muted small', 'data-testid': 'edit-disabled-note' }, `${app.role} may not edit this customer.`) : null,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void attempt(async () => {
      await app.crm.customers.update(
        customer.id,
        { tier: tier.value || null, tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean), ...(notes ? { notes: notes.value || null } : {}) },
        { expectedVersion: customer.version },
      );
      show('Saved.');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
  });
  return form;
}

function interactionForm(customer: Customer): HTMLElement {
  const mode = select({ 'data-testid': 'interaction-mode' }, [['log', 'Log — it happened'], ['plan', 'Plan — it is due']]);
  const type = select({ 'data-testid': 'interaction-type' }, [['call', 'Call'], ['email', 'Email'], ['meeting', 'Meeting'], ['note', 'Note'], ['task', 'Task']]);
  const direction = select({ 'data-testid': 'interaction-direction' }, [['outbound', 'Outbound'], ['inbound', 'Inbound']]);
  const subject = h('input', { required: true, placeholder: 'What was it about?', dir: 'auto', 'data-testid': 'interaction-subject' });
  const tomorrow = new Date(Date.now() + 86_400_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const due = h('input', { type: 'datetime-local', value: tomorrow, 'data-testid': 'interaction-due' });
  const dueField = field('Due', due);
  dueField.hidden = true;
  mode.addEventListener('change', () => (dueField.hidden = mode.value !== 'plan'));
  const refused = denied('create', 'interactions');
  const form = h('form', { class: 'card form', 'data-testid': 'interaction-form' },
    h('h2', {}, 'Log or plan an interaction'),
    h('div', { class: 'grid' }, field('What', mode), field('Type', type), field('Direction', direction), dueField),
    field('Subject', subject),
    h('button', { type: 'submit', disabled: refused, title: refused ? deniedTitle('create', 'interactions') : null, 'data-testid': 'save-interaction' }, 'Save to timeline'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const dir = type.value === 'note' || type.value === 'task' ? {} : { direction: direction.value as 'inbound' | 'outbound' };
    const base = { type: type.value as InteractionType, customerId: customer.id, subject: subject.value, ...dir };
    void attempt(async () => {
      if (mode.value === 'plan') await app.crm.interactions.plan({ ...base, dueAt: new Date(due.value).toISOString() });
      else await app.crm.interactions.log(base);
      subject.value = '';
    });
  });
  return form;
}
