/**
 * The browser CRM showcase: opens rapport on IndexedDB, seeds demo data on first load, and
 * routes `#/customers`, `#/customers/<id>`, `#/pipeline`, `#/reports` and `#/tickets` to
 * their views. Every view re-renders when the "view as" actor changes.
 */
import { deleteIndexedDbDatabase } from 'rapport/indexeddb';
import { ACTORS, DB_NAME, app, onChange, openCrm, setEnforce, setRole, showError } from './app';
import { seedIfEmpty } from './seed';
import { renderCustomers } from './views/customers';
import { renderCustomer } from './views/customer';
import { renderPipeline } from './views/pipeline';
import { renderReports } from './views/reports';
import { renderTickets } from './views/tickets';

/** A view draws into `root` and returns what stops its live queries. */
type View = (root: HTMLElement, param?: string) => Promise<(() => void) | void>;

const routes: Record<string, View> = {
  customers: (root, id) => (id ? renderCustomer(root, id) : renderCustomers(root)),
  pipeline: renderPipeline,
  reports: renderReports,
  tickets: renderTickets,
};

const main = document.getElementById('app') as HTMLElement;
let cleanup: (() => void) | void;
let generation = 0;

async function render(): Promise<void> {
  const [name = 'customers', param] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const view = routes[name] ?? routes['customers']!;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) link.classList.toggle('active', link.dataset['nav'] === name);
  cleanup?.();
  cleanup = undefined;
  const mine = ++generation;
  const root = document.createElement('div');
  root.className = 'page';
  root.dataset['testid'] = `page-${name}${param ? '-detail' : ''}`;
  try {
    const stop = await view(root, param);
    // A newer navigation started while this one was loading: drop this one.
    if (mine !== generation) return stop?.();
    cleanup = stop;
    main.replaceChildren(root);
  } catch (error) {
    if (mine === generation) main.replaceChildren(root);
    showError(error);
  }
}

async function start(): Promise<void> {
  app.root = await openCrm();
  setRole('admin');
  if (await seedIfEmpty(app.root)) console.info('rapport showcase: demo data written');
  // SLA breaches are flagged by a background job, run by whichever tab holds the lease.
  app.root.startWorkers({ intervalMs: 5_000 });

  const picker = document.getElementById('view-as') as HTMLSelectElement;
  for (const [role, actor] of Object.entries(ACTORS)) picker.append(new Option(actor.name, role, role === 'admin', role === 'admin'));
  picker.addEventListener('change', () => setRole(picker.value));
  const enforce = document.getElementById('ui-enforce') as HTMLInputElement;
  enforce.addEventListener('change', () => setEnforce(enforce.checked));
  document.getElementById('reset')?.addEventListener('click', async () => {
    await app.root?.close();
    await deleteIndexedDbDatabase(DB_NAME);
    location.hash = '#/customers';
    location.reload();
  });

  onChange(() => void render());
  window.addEventListener('hashchange', () => void render());
  await render();
  document.body.dataset['ready'] = 'true';
}

start().catch(showError);
