import type { NewEvent } from '../../records.js';

/** An event a transaction appended, with what its row needs besides its number. */
export interface QueuedEvent {
  readonly tenantId: string;
  readonly event: NewEvent;
  readonly at: string;
}

/** How far a transaction's queue went when a savepoint began (see `PendingEvents.mark`). */
export interface QueueMark {
  readonly queued: number;
  readonly written: number;
}

/** Writes a tenant's queued events, in the order they were appended. */
type EventWriter = (tenantId: string, events: readonly QueuedEvent[]) => Promise<void>;

/**
 * The events a transaction has appended and not yet written. A write appends events several
 * times (the resource's own, then a policy's); numbering each batch takes the tenant's
 * sequence again (an UPDATE, and the lock it holds to commit on PostgreSQL). Queued here,
 * they are numbered and inserted once, at commit (`flushAtCommit`), or earlier when something
 * in the same transaction reads events (`flush`), so that it sees them.
 */
export class PendingEvents {
  private readonly queue: QueuedEvent[] = [];
  private written = 0;
  /** The flush in progress, if any: flushes run one after another, never twice for an event. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    /** Numbers and inserts at once: what a read in the transaction needs. */
    private readonly write: EventWriter,
    /** Has them numbered as the transaction commits (on PostgreSQL, by COMMIT itself). */
    private readonly writeAtCommit: EventWriter = write,
  ) {}

  add(tenantId: string, events: readonly NewEvent[], at: string): void {
    for (const event of events) this.queue.push({ tenantId, event, at });
  }

  /** Writes the queued events: each tenant's in one reservation, in the order they were appended. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeQueued(this.write));
    return this.flushing;
  }

  /**
   * The last flush, just before COMMIT: nothing in the transaction reads events after it.
   * Events an earlier `flush` wrote are numbered first, so the order of appends holds.
   */
  flushAtCommit(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeQueued(this.writeAtCommit));
    return this.flushing;
  }

  private async writeQueued(write: EventWriter): Promise<void> {
    if (this.written === this.queue.length) return;
    const end = this.queue.length;
    const byTenant = new Map<string, QueuedEvent[]>();
    for (const queued of this.queue.slice(this.written, end)) {
      const events = byTenant.get(queued.tenantId);
      if (events === undefined) byTenant.set(queued.tenantId, [queued]);
      else events.push(queued);
    }
    for (const [tenantId, events] of byTenant) await write(tenantId, events);
    this.written = end;
  }

  /** Where a savepoint begins: `rollBackTo` returns the queue there when the savepoint is undone. */
  mark(): QueueMark {
    return { queued: this.queue.length, written: this.written };
  }

  /**
   * Forgets the events queued since `mark`. Rows flushed since then were undone with the
   * savepoint, those of earlier events too: they count as unwritten again.
   */
  rollBackTo(mark: QueueMark): void {
    this.queue.length = mark.queued;
    this.written = mark.written;
    this.flushing = Promise.resolve();
  }
}
