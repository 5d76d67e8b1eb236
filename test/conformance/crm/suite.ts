/**
 * The CRM conformance suite: the public API's behaviour, the same on every way of storing
 * (memory, IndexedDB, remote over HTTP). It uses only the public API, so it is the promise
 * users get.
 *
 * @example
 * ```ts
 * // test/conformance/crm/memory.test.ts
 * runCrmConformance({ name: 'memory', makeCrm: (o) => createCrm({ storage: memoryAdapter(), ...o }) });
 * ```
 * @module
 */
import { describe } from 'vitest';
import { abortTests } from './abort';
import { batchTests } from './batch';
import type { CrmContext } from './context';
import { useCrmContext } from './context';
import { customFieldTests } from './custom-fields';
import { customerTests } from './customers';
import { eventTests } from './events';
import type { CrmFixture } from './fixture';
import { interactionTests } from './interactions';
import { marketingCases } from './marketing';
import { ioCases } from './io';
import { pagingTests } from './paging';
import { queryTests } from './queries';
import { referenceTests } from './references';
import { searchTests } from './search';
import { timelineTests } from './timeline';
import { ticketCases } from './tickets';
import { salesCases } from './sales';
import { validationTests } from './validation';
import { versionTests } from './versions';
import { viewTests } from './views';
import { watchTests } from './watch';
import { workerTests } from './workers';

export type { CrmFixture, CrmFixtureOptions } from './fixture';

const AREAS: [string, (t: CrmContext) => void][] = [
  ['customers', customerTests],
  ['validation', validationTests],
  ['versions and merge patches', versionTests],
  ['atomic writes', batchTests],
  ['references', referenceTests],
  ['queries', queryTests],
  ['paging', pagingTests],
  ['events', eventTests],
  ['live queries', watchTests],
  ['interactions', interactionTests],
  ['timeline', timelineTests],
  ['custom fields', customFieldTests],
  ['views', viewTests],
  ['abort', abortTests],
  ['import, export, duplicates and merge', ioCases],
  ['search', searchTests],
  ['tickets', ticketCases],
  ['marketing', marketingCases],
  ['sales', salesCases],
];

/**
 * Run the CRM conformance suite against a fixture. Call it at the top level of a test file.
 * @param fixture - how to make CRMs on the storage under test, and what it cannot do.
 */
export function runCrmConformance(fixture: CrmFixture): void {
  describe(`crm conformance: ${fixture.name}`, () => {
    const t = useCrmContext(fixture);
    for (const [title, tests] of AREAS) describe(title, () => tests(t));
    describe.skipIf(fixture.capabilities?.workers === false)('workers', () => workerTests(t));
  });
}
