// The CRM conformance suite in remote mode: every client talks over real HTTP to a
// node:http server on 127.0.0.1 running `createHttpHandler`. Each CRM the suite asks for is
// a fresh server-side Crm (sharing the test's fake clock) reached with its own bearer token;
// the token is all that says who acts — never a header naming the actor.
import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { createCrm } from '../../../src/index';
import type { Actor, Crm, CustomFieldsConfig } from '../../../src/index';
import { memoryAdapter } from '../../../adapters/memory/index';
import { httpAdapter } from '../../../adapters/http/index';
import { createHttpHandler } from '../../../adapters/http/server';
import { serveNode } from '../../../adapters/http/node';
import type { NodeServerHandle } from '../../../adapters/http/node';
import { runCrmConformance } from './suite';
import type { CrmFixtureOptions } from './suite';

const ADMIN: Actor = { id: 'u-admin', roles: ['admin'] };
const tokens = new Map<string, Actor>();
const tenants = new WeakMap<Actor, Crm>();
const serverCrms: Crm[] = [];
let last: Crm | undefined;

const handler = createHttpHandler({
  authenticate: (request) => tokens.get(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '') ?? null,
  // authenticate hands back the very actor object registered with the token: its tenant.
  crmFor: (actor) => tenants.get(actor) as Crm,
  onError: () => undefined,
});

let server: Promise<NodeServerHandle> | undefined;
const started = () => (server ??= serveNode(handler, { host: '127.0.0.1', port: 0 }));

afterAll(async () => {
  for (const crm of serverCrms) await crm.close();
  if (server) await (await server).close();
});

async function connect<C extends CustomFieldsConfig>(serverCrm: Crm, actor: Actor | undefined): Promise<Crm<C>> {
  const { url } = await started();
  const token = randomUUID();
  const who = { ...(actor ?? ADMIN) };
  tokens.set(token, who);
  tenants.set(who, serverCrm);
  const crm = await createCrm({ storage: httpAdapter({ baseUrl: `${url}/v1`, getToken: () => token, retry: { baseMs: 5, maxMs: 50 } }) });
  return crm as unknown as Crm<C>;
}

runCrmConformance({
  name: 'remote (http)',
  async makeCrm<const C extends CustomFieldsConfig = Record<never, never>>(options: CrmFixtureOptions<C> = {}) {
    // Everything but the actor configures the server's Crm (custom fields, roles, the clock…).
    const { actor, ...serverOptions } = options;
    const serverCrm = await createCrm({ ...serverOptions, storage: memoryAdapter() });
    serverCrms.push(serverCrm as unknown as Crm);
    last = serverCrm as unknown as Crm;
    return connect<C>(last, actor);
  },
  async makeSibling<const C extends CustomFieldsConfig = Record<never, never>>(options: CrmFixtureOptions<C> = {}) {
    if (!last) throw new Error('makeSibling before makeCrm');
    return connect<C>(last, options.actor);
  },
  capabilities: { as: false, workers: false },
});
