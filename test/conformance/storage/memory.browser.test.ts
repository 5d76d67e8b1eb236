// The memory adapter against the storage contract, in real Chromium.
import { runStorageConformance } from '../../../src/testing/index';
import { memoryAdapter } from '../../../adapters/memory/index';

runStorageConformance({ name: 'memory (browser)', create: () => memoryAdapter() });
