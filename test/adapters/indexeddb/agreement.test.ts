import { describe } from 'vitest';
import { agreementTests } from './agreement';

describe('indexedDbAdapter agrees with the reference evaluator (fake-indexeddb)', () => agreementTests('agreement-node', 300));
