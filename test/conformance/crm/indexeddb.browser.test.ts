// The CRM conformance suite on the IndexedDB adapter, in real Chromium.
// A sibling is a second connection to the same database, as another tab would open.
import { createCrm } from '../../../src/index';
import { indexedDbAdapter } from '../../../adapters/indexeddb/index';
import { runCrmConformance } from './suite';

let n = 0;
let last: string | undefined;

runCrmConformance({
  name: 'indexeddb (browser)',
  makeCrm: (options = {}) => createCrm({ ...options, storage: indexedDbAdapter({ name: (last = `rapport-crm-${Date.now()}-${n++}`) }) }),
  makeSibling: (options = {}) => {
    if (!last) throw new Error('makeSibling before makeCrm');
    return createCrm({ ...options, storage: indexedDbAdapter({ name: last }) });
  },
});
