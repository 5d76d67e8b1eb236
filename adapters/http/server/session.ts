/**
 * The session a client reads when it connects: the actor, the collections with their verbs,
 * readable fields and custom fields, and the actor's grants on each.
 *
 * @internal
 * @module
 */
import type { Crm } from '../../../src/crm';
import type { ViewInternals } from '../../../src/internal/internals';
import { ACTIONS } from '../../../src/permissions/policy';
import type { CollectionInfo, SessionInfo } from '../protocol';
import { PROTOCOL_VERSION } from '../protocol';
import { collectionsOf, reportsOf, rootVerbsOf, verbsOf } from './dispatch';

/** The session: who the actor is and what it may do, so the client answers `can()` locally. */
export function sessionInfo(view: Crm, internals: ViewInternals): SessionInfo {
  const { engine, actor } = internals;
  const collections: Record<string, CollectionInfo> = {};
  const names = collectionsOf(view);
  for (const name of names) {
    const api = (view as unknown as Record<string, unknown>)[name];
    const entity = engine.entities.get(name);
    const grants: CollectionInfo['grants'] = {};
    for (const action of entity || name === 'audit' ? ACTIONS : []) {
      const scope = engine.policy.scope(actor, action, name);
      if (name === 'audit' && action !== 'read') continue;
      grants[action] = scope === undefined ? true : scope;
    }
    collections[name] = {
      verbs: verbsOf(api),
      watchable: typeof (api as { watch?: unknown }).watch === 'function',
      readableFields: entity ? view.readableFields(name) : [],
      customFields: entity ? entity.customFields : {},
      grants,
    };
  }
  return { protocol: PROTOCOL_VERSION, actor: view.actor, timeZone: view.timeZone, now: engine.now(), collections, reports: reportsOf(view), verbs: rootVerbsOf(view) };
}
