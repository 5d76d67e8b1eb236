// The CRM conformance suite on the memory adapter, in real Chromium.
import { createCrm } from '../../../src/index';
import type { StorageAdapter } from '../../../src/index';
import { memoryAdapter } from '../../../adapters/memory/index';
import { runCrmConformance } from './suite';

let last: StorageAdapter | undefined;

runCrmConformance({
  name: 'memory (browser)',
  makeCrm: (options = {}) => createCrm({ ...options, storage: (last = memoryAdapter()) }),
  makeSibling: (options = {}) => {
    if (!last) throw new Error('makeSibling before makeCrm');
    return createCrm({ ...options, storage: last });
  },
});
