import { describe } from 'vitest';
import { lifecycleTests } from './lifecycle';

// On fake-indexeddb (loaded by test/setup.node.ts); the same tests run in Chromium too.
describe('indexedDbAdapter life cycle (fake-indexeddb)', () => lifecycleTests('lifecycle-node'));
