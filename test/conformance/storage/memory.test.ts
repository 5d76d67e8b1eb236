// The memory adapter against the storage contract, called exactly as a third party would.
import { runStorageConformance } from '../../../src/testing/index';
import { memoryAdapter } from '../../../adapters/memory/index';

runStorageConformance({ name: 'memory', create: () => memoryAdapter() });
