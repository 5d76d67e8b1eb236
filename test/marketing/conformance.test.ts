// The marketing cases of the CRM conformance suite on the memory adapter and on IndexedDB
// (fake-indexeddb); the suite's own entries run them in remote mode too.
import { describe } from 'vitest';
import { createCrm } from '../../src/index';
import type { StorageAdapter } from '../../src/index';
import { memoryAdapter } from '../../adapters/memory/index';
import { indexedDbAdapter } from '../../adapters/indexeddb/index';
import { useCrmContext } from '../conformance/crm/context';
import { marketingCases } from '../conformance/crm/marketing';

let last: StorageAdapter | undefined;
let n = 0;

describe('marketing conformance: memory', () => {
  marketingCases(
    useCrmContext({
      name: 'memory',
      makeCrm: (options = {}) => createCrm({ ...options, storage: (last = memoryAdapter()) }),
      makeSibling: (options = {}) => createCrm({ ...options, storage: last as StorageAdapter }),
    }),
  );
});

describe('marketing conformance: indexeddb', () => {
  marketingCases(
    useCrmContext({
      name: 'indexeddb',
      makeCrm: (options = {}) => createCrm({ ...options, storage: (last = indexedDbAdapter({ name: `marketing-${++n}-${Date.now()}` })) }),
      makeSibling: (options = {}) => createCrm({ ...options, storage: last as StorageAdapter }),
    }),
  );
});
