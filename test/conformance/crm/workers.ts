/**
 * Workers: of several CRMs on one storage exactly one is the authority; it fails over when
 * its lease expires, and gives the lease up when stopped.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { AuthorityChangedEvent } from '../../../src/index';
import type { CrmContext } from './context';

const LEASE = 10_000;

/** The worker tests. */
export function workerTests(t: CrmContext): void {
  describe('workers', () => {
    it('makes a lone CRM the authority on its first tick', async () => {
      const crm = await t.crm();
      const changes: AuthorityChangedEvent[] = [];
      crm.on('workers.authorityChanged', (e) => changes.push(e));
      const workers = crm.startWorkers({ autoStart: false, leaseMs: LEASE });
      expect(workers.isAuthority()).toBe(false);
      await workers.tick();
      expect(workers.isAuthority()).toBe(true);
      expect(changes).toEqual([{ type: 'workers.authorityChanged', instanceId: expect.any(String), isAuthority: true }]);
      await workers.tick();
      expect(changes).toHaveLength(1);
      await workers.stop();
      expect(workers.isAuthority()).toBe(false);
      expect(changes.map((e) => e.isAuthority)).toEqual([true, false]);
    });

    it('returns the same workers when started twice', async () => {
      const crm = await t.crm();
      const a = crm.startWorkers({ autoStart: false });
      expect(crm.startWorkers({ autoStart: false })).toBe(a);
    });

    it.runIf(t.hasSiblings)('lets exactly one of two CRMs on one storage be the authority, and fails over when its lease expires', async () => {
      const first = await t.crm();
      const second = await t.sibling();
      const firstChanges: boolean[] = [];
      const secondChanges: boolean[] = [];
      first.on('workers.authorityChanged', (e) => firstChanges.push(e.isAuthority));
      second.on('workers.authorityChanged', (e) => secondChanges.push(e.isAuthority));
      const w1 = first.startWorkers({ autoStart: false, leaseMs: LEASE });
      const w2 = second.startWorkers({ autoStart: false, leaseMs: LEASE });
      for (let i = 0; i < 3; i++) {
        await Promise.all([w1.tick(), w2.tick()]);
        expect([w1.isAuthority(), w2.isAuthority()].filter(Boolean)).toHaveLength(1);
        t.advance(LEASE / 4);
      }
      const [leader, follower] = w1.isAuthority() ? [w1, w2] : [w2, w1];
      // Within the lease, the leader renews and the follower waits.
      t.advance(LEASE / 2);
      await follower.tick();
      expect(follower.isAuthority()).toBe(false);
      // The leader goes silent; past its lease the follower takes over.
      t.advance(LEASE + 1);
      await follower.tick();
      expect(follower.isAuthority()).toBe(true);
      await leader.tick();
      expect(leader.isAuthority()).toBe(false);
      expect([firstChanges, secondChanges].sort((a, b) => a.length - b.length)).toEqual([[true], [true, false]].sort((a, b) => a.length - b.length));
      const leaderChanges = leader === w1 ? firstChanges : secondChanges;
      const followerChanges = leader === w1 ? secondChanges : firstChanges;
      expect(leaderChanges).toEqual([true, false]);
      expect(followerChanges).toEqual([true]);
    });

    it.runIf(t.hasSiblings)('hands over at once when the authority stops', async () => {
      const first = await t.crm();
      const second = await t.sibling();
      const w1 = first.startWorkers({ autoStart: false, leaseMs: LEASE });
      const w2 = second.startWorkers({ autoStart: false, leaseMs: LEASE });
      await w1.tick();
      await w2.tick();
      expect([w1.isAuthority(), w2.isAuthority()]).toEqual([true, false]);
      await w1.stop();
      await w2.tick();
      expect([w1.isAuthority(), w2.isAuthority()]).toEqual([false, true]);
    });

    it.runIf(t.hasSiblings)('keeps the authority while it renews within the lease', async () => {
      const first = await t.crm();
      const second = await t.sibling();
      const w1 = first.startWorkers({ autoStart: false, leaseMs: LEASE });
      const w2 = second.startWorkers({ autoStart: false, leaseMs: LEASE });
      await w1.tick();
      for (let i = 0; i < 10; i++) {
        t.advance(LEASE - 1);
        await w1.tick();
        await w2.tick();
        expect([w1.isAuthority(), w2.isAuthority()]).toEqual([true, false]);
      }
    });
  });
}
