import type { NewDelivery } from '../../store/webhook-store.js';
import type { Store } from '../../store/store.js';
import { newId, now } from '../clock.js';
import { typeMatches } from './event-types.js';

/** Events read from one tenant's outbox per endpoint and transaction. */
const EVENTS_PER_PASS = 500;

/**
 * Turns new outbox events into deliveries, for each endpoint and tenant with events past
 * the endpoint's cursor. Each pass is one transaction that locks the cursor (another process
 * doing the same pass skips it), inserts the deliveries of the matching events and moves the
 * cursor: a crash loses nothing and repeats nothing, since the cursor moves with the rows it
 * covers. Returns how many events were read.
 */
export async function fanOut(store: Store, maxPairs = 100): Promise<number> {
  let read = 0;
  for (const work of await store.read.webhooks.fanOutWork(maxPairs)) {
    read += await store.transaction(async (tx) => {
      const lastSeq = await tx.webhooks.lockCursor(work.endpointId, work.tenantId);
      if (lastSeq === undefined) return 0;
      const events = await tx.events.list(work.tenantId, lastSeq, EVENTS_PER_PASS);
      const last = events[events.length - 1];
      if (last === undefined) return 0;
      const deliveries: NewDelivery[] = events
        .filter((event) => typeMatches(work.eventTypes, event.type))
        .map((event) => ({
          tenantId: event.tenantId,
          id: newId(),
          endpointId: work.endpointId,
          eventSeq: event.seq,
          eventType: event.type,
          resourceKey: `${event.resourceType}:${event.resourceId}`,
        }));
      for (let start = 0; start < deliveries.length; start += 100) await tx.webhooks.insertDeliveries(deliveries.slice(start, start + 100), now());
      await tx.webhooks.advanceCursor(work.endpointId, work.tenantId, last.seq);
      return events.length;
    });
  }
  return read;
}
