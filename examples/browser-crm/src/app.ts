/**
 * The app's state: one Crm on IndexedDB, the view the user acts through ("view as"), and
 * how refused actions are shown. Views read `app.crm` on every render, so switching the
 * actor re-renders the page as that actor.
 */
import { createCrm, isCrmError, isPermissionError } from 'rapport';
import type { Action, Actor, Crm } from 'rapport';
import { indexedDbAdapter } from 'rapport/indexeddb';

/** The database the showcase keeps its data in. */
export const DB_NAME = 'rapport-browser-crm';

/** Custom fields of the demo: a sensitive credit limit that viewers and contributors cannot read. */
export const customFields = {
  customers: {
    creditLimit: { type: 'money', currency: 'EUR', sensitive: true },
    segment: { type: 'select', options: ['smb', 'mid-market', 'enterprise'] },
  },
} as const;

/** The demo's CRM type. */
export type DemoCrm = Crm<typeof customFields>;

const ADMIN: Actor & { name: string } = { id: 'u-admin', name: 'Alex (admin)', roles: ['admin'] };

/** One person per built-in role, to switch between. */
export const ACTORS: Record<string, Actor & { name: string }> = {
  admin: ADMIN,
  manager: { id: 'u-mina', name: 'Mina (manager, EMEA)', roles: ['manager'], teamIds: ['emea'] },
  editor: { id: 'u-eda', name: 'Eda (editor)', roles: ['editor'] },
  contributor: { id: 'u-cem', name: 'Cem (contributor)', roles: ['contributor'] },
  viewer: { id: 'u-vera', name: 'Vera (viewer)', roles: ['viewer'] },
};

/** Open the CRM on IndexedDB. Phones and notes are sensitive, as is the custom credit limit. */
export function openCrm(): Promise<DemoCrm> {
  return createCrm({
    storage: indexedDbAdapter({ name: DB_NAME, onVersionChange: () => show('Another tab upgraded the database: reload this one.') }),
    actor: { id: ADMIN.id, roles: ADMIN.roles },
    customFields,
    sensitiveFields: { customers: ['phones', 'notes'] },
  }) as Promise<DemoCrm>;
}

interface AppState {
  root: DemoCrm | undefined;
  crm: DemoCrm;
  role: string;
  enforce: boolean;
}

/** What every view reads. `crm` is the root CRM seen through the chosen actor. */
export const app: AppState = { root: undefined, crm: undefined as never, role: 'admin', enforce: true };

const listeners = new Set<() => void>();

/** Be told when the actor (or the enforce toggle) changes; returns the unsubscribe function. */
export function onChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Act as the person holding `role` from now on. */
export function setRole(role: string): void {
  const actor = ACTORS[role];
  if (!actor || !app.root) return;
  app.role = role;
  app.crm = app.root.as({ id: actor.id, roles: actor.roles, ...(actor.teamIds ? { teamIds: actor.teamIds } : {}) });
  hideMessage();
  for (const l of listeners) l();
}

/** Show or stop hiding what the actor may not do. */
export function setEnforce(enforce: boolean): void {
  app.enforce = enforce;
  for (const l of listeners) l();
}

/**
 * Whether a button for `action` should be disabled. With the toggle off, nothing is: the
 * engine then refuses the call, which is what the toggle is there to show.
 */
export function denied(action: Action, collection: string, record?: object): boolean {
  return app.enforce && !app.crm.can(action, collection, record);
}

/** A tooltip saying why a button is disabled. */
export function deniedTitle(action: Action, collection: string): string {
  return `${app.role} may not ${action} ${collection}`;
}

/** Show a message in the bar under the header. */
export function show(text: string, kind: 'error' | 'info' = 'info', testId = 'message-text'): void {
  const bar = document.getElementById('message');
  if (!bar) return;
  bar.className = `message ${kind}`;
  bar.replaceChildren();
  const span = document.createElement('span');
  span.dataset['testid'] = testId;
  span.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'ghost';
  close.textContent = '×';
  close.addEventListener('click', hideMessage);
  bar.append(span, close);
  bar.hidden = false;
}

/** Hide the message bar. */
export function hideMessage(): void {
  const bar = document.getElementById('message');
  if (bar) bar.hidden = true;
}

/** Show an error as its class name and sentence (a refused edit reads `PermissionError: …`). */
export function showError(error: unknown): void {
  if (isPermissionError(error)) show(`PermissionError: ${error.message}`, 'error', 'permission-error');
  else if (isCrmError(error)) show(`${error.name}: ${error.message}`, 'error', 'error-text');
  else show(String(error), 'error', 'error-text');
}

/** Run an action from a button or form, showing what went wrong; resolves to whether it worked. */
export async function attempt(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (error) {
    showError(error);
    return false;
  }
}
