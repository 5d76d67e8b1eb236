/**
 * The customer list: full-text search (`find({ search })`), filters on tier, country and tag,
 * and a form to create a customer. Masked fields (phones for viewers) show as hidden.
 */
import type { Condition, Filter } from 'rapport';
import { app, attempt, denied, deniedTitle } from '../app';
import { badge, field, h, replace, select } from '../dom';

const COUNTRIES: [string, string][] = [['', 'Any country'], ['TR', 'Türkiye'], ['IR', 'Iran'], ['CN', 'China'], ['RU', 'Russia'], ['VN', 'Viet Nam'], ['PH', 'Philippines'], ['GB', 'United Kingdom'], ['US', 'United States']];
const TIERS: [string, string][] = [['', 'Any tier'], ['vip', 'VIP'], ['gold', 'Gold'], ['standard', 'Standard']];
const TAGS: [string, string][] = [['', 'Any tag'], ...['wholesale', 'retail', 'logistics', 'electronics'].map((t): [string, string] => [t, t])];

/** What the list is filtered by; kept across re-renders (e.g. switching the actor). */
const state = { search: '', tier: '', country: '', tag: '' };

/** Draw the customer list. */
export async function renderCustomers(root: HTMLElement): Promise<void> {
  const crm = app.crm;
  const readable = new Set(crm.readableFields('customers'));
  const tbody = h('tbody');
  const count = h('span', { class: 'muted', 'data-testid': 'customer-count' });

  let latest = 0;
  async function refresh(): Promise<void> {
    // Typing fires a query per keystroke: only the newest answer may draw.
    const mine = ++latest;
    const and: Condition[] = [];
    if (state.tier) and.push({ field: 'tier', op: 'eq', value: state.tier });
    if (state.country) and.push({ field: 'addresses.country', op: 'eq', value: state.country });
    if (state.tag) and.push({ field: 'tags', op: 'has', value: state.tag });
    const where: Filter | undefined = and.length ? { and } : undefined;
    const page = await crm.customers.find({ ...(where ? { where } : {}), ...(state.search.trim() ? { search: state.search } : {}), orderBy: [{ field: 'name' }], limit: 200, total: true });
    if (mine !== latest) return;
    count.textContent = `${page.total ?? page.items.length} customers`;
    replace(
      tbody,
      ...page.items.map((c) =>
        h('tr', { 'data-testid': 'customer-row', 'data-name': c.name },
          h('td', {}, h('a', { href: `#/customers/${c.id}`, class: 'name', dir: 'auto' }, c.name), c.kind === 'organization' ? badge('org', 'subtle') : null),
          h('td', {}, h('bdi', {}, c.addresses[0]?.city ?? ''), c.addresses[0]?.country ? `, ${c.addresses[0].country}` : ''),
          h('td', {}, c.tier ? badge(c.tier, `tier-${c.tier}`) : '–'),
          h('td', {}, ...c.tags.map((t) => badge(t, 'tag'))),
          h('td', {}, c.lifecycle),
          h('td', { class: 'mono' }, readable.has('phones') ? (c.phones[0]?.number ?? '–') : h('span', { class: 'masked', 'data-testid': 'masked-phone' }, '⊘ hidden')),
        ),
      ),
      page.items.length ? null : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No customer matches.')),
    );
  }

  const search = h('input', { type: 'search', placeholder: 'Search names, emails, phones, tags… (any language)', value: state.search, 'data-testid': 'customer-search', class: 'grow' });
  search.addEventListener('input', () => {
    state.search = search.value;
    void refresh();
  });
  const filter = (key: 'tier' | 'country' | 'tag', options: [string, string][]) => {
    const el = select({ 'data-testid': `filter-${key}` }, options, state[key]);
    el.addEventListener('change', () => {
      state[key] = el.value;
      void refresh();
    });
    return el;
  };

  await refresh();
  root.append(
    h('div', { class: 'title-row' }, h('h1', {}, 'Customers'), count),
    h('div', { class: 'toolbar' }, search, filter('tier', TIERS), filter('country', COUNTRIES), filter('tag', TAGS)),
    h('div', { class: 'card flush' },
      h('table', { class: 'table', 'data-testid': 'customer-table' },
        h('thead', {}, h('tr', {}, ...['Name', 'City', 'Tier', 'Tags', 'Lifecycle', 'Phone'].map((t) => h('th', {}, t)))),
        tbody,
      ),
    ),
    createForm(),
  );
}

function createForm(): HTMLElement {
  const name = h('input', { required: true, placeholder: 'e.g. Nguyễn Thị Mai', 'data-testid': 'new-customer-name' });
  const email = h('input', { type: 'email', placeholder: 'name@example.com', 'data-testid': 'new-customer-email' });
  const phone = h('input', { placeholder: '+84 90 123 4567', 'data-testid': 'new-customer-phone' });
  const city = h('input', { placeholder: 'City', 'data-testid': 'new-customer-city' });
  const country = select({ 'data-testid': 'new-customer-country' }, [['', '–'], ...COUNTRIES.slice(1)]);
  const tier = select({ 'data-testid': 'new-customer-tier' }, [['', '–'], ...TIERS.slice(1)]);
  const refused = denied('create', 'customers');
  const form = h('form', { class: 'card form', 'data-testid': 'new-customer-form' },
    h('h2', {}, 'New customer'),
    h('div', { class: 'grid' }, field('Name', name), field('Email', email), field('Phone', phone), field('City', city), field('Country', country), field('Tier', tier)),
    h('button', { type: 'submit', disabled: refused, title: refused ? deniedTitle('create', 'customers') : null, 'data-testid': 'create-customer' }, 'Create customer'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void attempt(async () => {
      const created = await app.crm.customers.create({
        name: name.value,
        ...(email.value ? { emails: [{ address: email.value }] } : {}),
        ...(phone.value ? { phones: [{ number: phone.value }] } : {}),
        ...(city.value || country.value ? { addresses: [{ ...(city.value ? { city: city.value } : {}), ...(country.value ? { country: country.value } : {}) }] } : {}),
        ...(tier.value ? { tier: tier.value } : {}),
      });
      location.hash = `#/customers/${created.id}`;
    });
  });
  return form;
}
