import { indexedDbAdapter } from '../../../adapters/indexeddb/index';
import { runStorageConformance } from '../../../src/testing/index';

// Real Chromium IndexedDB. A unique database per adapter, so every test starts empty.
let n = 0;
const uniqueName = (): string => `conformance-chromium-${Date.now().toString(36)}-${n++}`;

runStorageConformance({ name: 'indexeddb', create: () => indexedDbAdapter({ name: uniqueName() }) });
