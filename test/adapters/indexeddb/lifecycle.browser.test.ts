import { describe } from 'vitest';
import { lifecycleTests } from './lifecycle';

// In real Chromium: real upgrades, versionchange and blocked events, BroadcastChannel between connections.
describe('indexedDbAdapter life cycle (Chromium)', () => lifecycleTests('lifecycle-chromium'));
