import type { Store } from '../src/store/store.js';
import type { Scenario } from './scenario.js';

/** The tenant's last event number, found with the store's own `events.list` (exponential, then binary search). */
export async function lastEventSeq(store: Store, tenantId: string): Promise<number> {
  const exists = async (seq: number): Promise<boolean> => (await store.read.events.list(tenantId, seq - 1, 1)).length > 0;
  if (!(await exists(1))) return 0;
  let low = 1;
  let high = 2;
  while (await exists(high)) {
    low = high;
    high *= 2;
  }
  // exists(low) and not exists(high).
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** Events of `type` after `afterSeq`. */
export async function countEvents(store: Store, tenantId: string, afterSeq: number, type: string): Promise<number> {
  let count = 0;
  let after = afterSeq;
  for (;;) {
    const page = await store.read.events.list(tenantId, after, 5000);
    count += page.filter((event) => event.type === type).length;
    const last = page[page.length - 1];
    if (last === undefined || page.length < 5000) return count;
    after = last.seq;
  }
}

/**
 * Adds to a POST scenario a check that each created user has its `user.created` event: the
 * last event number is read before the measurement, and the new events counted after it.
 */
export function withEventCheck(scenario: Scenario, openStore: () => Store, tenantId: string): Scenario {
  let before = 0;
  return {
    ...scenario,
    before: async () => {
      await scenario.before?.();
      before = await lastEventSeq(openStore(), tenantId);
    },
    notes: async (result) => {
      const own = (await scenario.notes?.(result)) ?? [];
      const events = await countEvents(openStore(), tenantId, before, 'user.created');
      const created = result.statuses['201'] ?? 0;
      return [...own, `${created} users created (201), ${events} user.created events written${events === created ? ', one each' : ' (MISMATCH)'}`];
    },
  };
}
