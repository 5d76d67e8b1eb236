import { describe } from 'vitest';
import { agreementTests } from './agreement';

// Real IndexedDB key order, key ranges and cursors against the reference evaluator.
describe('indexedDbAdapter agrees with the reference evaluator (Chromium)', () => agreementTests('agreement-chromium', 100));
