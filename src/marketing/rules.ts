/**
 * Checks of an automation rule that need the engine: the trigger exists, the filter is a
 * valid query on public fields the author may read, every action fits the record it writes,
 * and the author may make every write the rule will make on any record (rules run
 * unattended, so a rule cannot reach further than its author could).
 *
 * @internal
 * @module
 */
import { ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { DEAL_ENGINE_FIELDS, DEAL_VERB_FIELDS } from '../entities/deals';
import { VERB_FIELDS as TICKET_VERB_FIELDS } from '../entities/tickets';
import { TRIGGERS } from '../entities/automations';
import type { AutomationAction, Delay } from '../entities/automations';
import { deny } from '../engine/guard';
import type { OpContext } from '../engine/guard';
import { buildQuery } from '../engine/read';
import type { Action } from '../permissions/policy';

/** Fields an `update` action may never name, per collection (beside system and engine fields). */
const VERB_ONLY: Readonly<Record<string, readonly string[]>> = {
  deals: [...DEAL_VERB_FIELDS, ...DEAL_ENGINE_FIELDS],
  tickets: TICKET_VERB_FIELDS,
};

/**
 * Milliseconds of a delay.
 *
 * @example
 * ```ts
 * delayMs({ days: 1, hours: 2 }); // 93_600_000
 * ```
 */
export function delayMs(d: Delay | undefined): number {
  if (!d) return 0;
  return Math.round(((d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * 60_000);
}

/**
 * The collection an action writes, for a rule on `triggerCollection`.
 *
 * @example
 * ```ts
 * targetCollection({ action: 'tag', target: 'customer', tags: ['x'] }, 'deals'); // 'customers'
 * ```
 */
export function targetCollection(action: AutomationAction, triggerCollection: string): string {
  if (action.action === 'planInteraction') return 'interactions';
  return action.target === 'customer' ? 'customers' : triggerCollection;
}

function issue(path: (string | number)[], message: string, code = 'invalid_value'): ValidationIssue {
  return { path, message, code };
}

/**
 * Check a rule (already valid against the automations schema) for the acting author.
 * @throws `ValidationError` with paths, `QueryError` for a bad `where`, `PermissionError`
 * when the author could not make the rule's writes.
 * @example
 * ```ts
 * await checkRule(ctx, { on: 'deal.won', do: [{ action: 'tag', target: 'customer', tags: ['buyer'] }] });
 * ```
 */
export async function checkRule(ctx: OpContext, rule: { on: string; where?: unknown; do: AutomationAction[] }, recordId?: string): Promise<void> {
  const { engine } = ctx;
  const issues: ValidationIssue[] = [];
  const collection = Object.prototype.hasOwnProperty.call(TRIGGERS, rule.on) ? TRIGGERS[rule.on] : undefined;
  const entity = collection === undefined ? undefined : engine.entities.get(collection);
  if (!collection || !entity) {
    const known = Object.keys(TRIGGERS).filter((t) => engine.entities.has(TRIGGERS[t] as string));
    throw new ValidationError([issue(['on'], `unknown trigger "${rule.on}"; one of ${known.join(', ')}`)], { collection: 'automations', recordId });
  }
  // The filter is checked as `find` checks it: valid, public fields, readable by the author.
  if (rule.where !== undefined) await buildQuery(ctx, entity, { where: rule.where as never });
  const needs: [Action, string][] = [];
  rule.do.forEach((action, i) => {
    const target = targetCollection(action, collection);
    const targetEntity = engine.entities.get(target);
    if (!targetEntity) {
      issues.push(issue(['do', i], `${target} are not part of this CRM`));
      return;
    }
    if (action.action !== 'planInteraction' && action.target === 'customer' && collection !== 'customers' && !('customerId' in entity.shape)) {
      issues.push(issue(['do', i, 'target'], `${collection} have no customer`));
    }
    switch (action.action) {
      case 'planInteraction':
        needs.push(['create', 'interactions']);
        if (action.assignee !== undefined && action.assignee !== 'owner' && action.assignee !== 'assignee') needs.push(['assign', 'interactions']);
        if (collection !== 'customers' && !('customerId' in entity.shape)) issues.push(issue(['do', i], `${collection} have no customer to plan an interaction with`));
        break;
      case 'assign':
        if (action.ownerId === undefined && action.teamId === undefined && action.assigneeId === undefined) issues.push(issue(['do', i], 'name an ownerId, teamId or assigneeId'));
        if (action.assigneeId !== undefined && targetEntity.assigneeField !== 'assigneeId') issues.push(issue(['do', i, 'assigneeId'], `${target} have no assignee`));
        needs.push(['update', target], ['assign', target]);
        break;
      case 'tag':
        if (!('tags' in targetEntity.shape)) issues.push(issue(['do', i, 'tags'], `${target} have no tags`));
        needs.push(['update', target]);
        break;
      case 'update': {
        const forbidden = new Set([...(targetEntity.engineFields ?? []), ...(VERB_ONLY[target] ?? [])]);
        for (const [field, value] of Object.entries(action.patch)) {
          const path = ['do', i, 'patch', field];
          if (field === 'custom') {
            for (const key of Object.keys((value ?? {}) as object)) {
              if (!Object.prototype.hasOwnProperty.call(targetEntity.customFields, key)) issues.push(issue([...path, key], `unknown custom field "${key}"`, 'unrecognized_keys'));
            }
            continue;
          }
          if (field === 'ownerId' || field === 'teamId') {
            needs.push(['assign', target]);
            continue;
          }
          if (forbidden.has(field)) {
            issues.push(issue(path, 'is changed only by rapport or by the entity’s verbs', 'read_only'));
            continue;
          }
          const schema = Object.prototype.hasOwnProperty.call(targetEntity.shape, field) ? targetEntity.shape[field] : undefined;
          if (!schema) {
            issues.push(issue(path, `${target} have no field "${field}"`, 'unrecognized_keys'));
            continue;
          }
          if (value !== null && !schema.safeParse(value).success) issues.push(issue(path, `is not a valid ${field} for ${target}`));
        }
        needs.push(['update', target]);
        break;
      }
    }
  });
  if (issues.length) throw new ValidationError(issues, { collection: 'automations', recordId });
  for (const [action, target] of needs) {
    if (engine.policy.scope(ctx.actor, action, target) !== undefined) {
      await deny(ctx, action, target, undefined, `an automation rule may ${action} any of ${target}, so its author needs ${action} on all of them`);
    }
  }
}
