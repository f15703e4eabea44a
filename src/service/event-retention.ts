import { runPeriodically, type PeriodicTask } from './periodic.js';
import type { Store } from '../store/store.js';

export interface EventRetentionOptions {
  /** How long events are kept (ROSTER_EVENT_RETENTION_DAYS); 0 keeps them for ever. */
  readonly retentionMs: number;
  /** How long a paused webhook endpoint keeps its place (ROSTER_EVENT_RETENTION_MAX_DAYS). */
  readonly pausedMaxMs: number;
  /** Time between prunes; the first runs this long after start. */
  readonly intervalMs: number;
  /** Events per transaction. */
  readonly batchSize?: number;
  readonly onError?: (error: unknown) => void;
}

const DEFAULT_BATCH = 500;

/**
 * Prunes the event outbox in the background, tenant by tenant, a few hundred events per
 * transaction (so that no batch holds SQLite's writer for long), keeping what webhook
 * endpoints have not received yet (docs/security.md, "What is kept"). Several processes may
 * prune at once: they delete the same old rows, and the horizon only moves forward.
 */
export class EventRetention {
  private task: PeriodicTask | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: EventRetentionOptions,
  ) {}

  start(): void {
    if (this.options.retentionMs <= 0 || this.task !== undefined) return;
    this.task = runPeriodically(this.options.intervalMs, () => this.pruneNow(), this.options.onError);
  }

  /** Removes the events older than the retention at `at` that nothing needs; how many. */
  async pruneNow(at: number = Date.now()): Promise<number> {
    const limits = {
      before: new Date(at - this.options.retentionMs).toISOString(),
      pausedBefore: new Date(at - Math.max(this.options.pausedMaxMs, this.options.retentionMs)).toISOString(),
      limit: this.options.batchSize ?? DEFAULT_BATCH,
    };
    let total = 0;
    for (const tenantId of await this.store.read.retention.tenantsWithEvents()) {
      for (;;) {
        const removed = await this.store.transaction((tx) => tx.retention.pruneBatch(tenantId, limits));
        total += removed;
        if (removed < limits.limit) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return total;
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    await task?.stop();
  }
}
