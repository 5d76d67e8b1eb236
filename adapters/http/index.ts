/**
 * `rapport/http`: remote mode. `createCrm({ storage: httpAdapter({ baseUrl }) })` returns a
 * Crm whose every call a rapport server (`rapport/http/server`) answers: the server
 * validates, authorizes, audits and emits; this client forwards each call with an
 * idempotency key, retries safely, keeps watches live over the server's stream, and
 * rebuilds the server's errors as the same classes.
 *
 * @module
 */
import type { Crm, CrmOptions, RemoteConnector } from '../../src/crm';
import type { CustomFieldsConfig } from '../../src/engine/custom-fields';
import { makeRemoteCrm } from './client/remote';
import { createTransport } from './client/transport';
import type { HttpAdapterOptions } from './client/transport';
import type { SessionInfo } from './protocol';

export type { RetryOptions } from './client/transport';
export type { SessionInfo, CollectionInfo, FeedChange, FeedPage, EventEnvelope, CallRequest, CallResponse, BatchCall, BatchRequest } from './protocol';

export type { HttpAdapterOptions } from './client/transport';

/**
 * A remote connector: pass it as `storage` and the Crm is in remote mode.
 *
 * @example
 * ```ts
 * import { createCrm } from 'rapport';
 * import { httpAdapter } from 'rapport/http';
 * const crm = await createCrm({ storage: httpAdapter({ baseUrl: 'https://crm.example.com/v1', getToken: () => session.token }) });
 * const ada = await crm.customers.create({ name: 'Ada Lovelace' });
 * ```
 * @throws (from `createCrm`) `HttpError` when the server cannot be reached, with status 401 when the credentials are refused.
 */
export function httpAdapter(options: HttpAdapterOptions): RemoteConnector {
  return {
    kind: 'remote',
    async connect<C extends CustomFieldsConfig>(_options: CrmOptions<C>): Promise<Crm<C>> {
      // The actor, schema, custom fields and clock are the server's: local options about them do not apply.
      const transport = createTransport(options);
      const session = await transport.request<SessionInfo>({ method: 'GET', path: '/session' });
      return makeRemoteCrm(transport, session.body) as unknown as Crm<C>;
    },
  };
}
