import { indexedDbAdapter } from '../../../adapters/indexeddb/index';
import { runStorageConformance } from '../../../src/testing/index';

// fake-indexeddb (loaded by test/setup.node.ts) stands in for the browser's IndexedDB.
let n = 0;
const uniqueName = (): string => `conformance-node-${Date.now().toString(36)}-${n++}`;

runStorageConformance({ name: 'indexeddb', create: () => indexedDbAdapter({ name: uniqueName() }) });
