import { runPeriodically, type PeriodicTask } from '../periodic.js';
import type { ProvisioningLogService } from './log-service.js';

export interface RetentionOptions {
  /** How long entries are kept; 0 keeps them for ever. */
  readonly retentionMs: number;
  /** Time between prunes; the first runs this long after start. */
  readonly intervalMs: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Prunes the provisioning log (and delivered webhook deliveries) in the background, tenant by
 * tenant in small batches, so that no statement holds locks for long. Several processes may
 * prune at once: they delete the same old rows, which is harmless.
 */
export class LogRetention {
  private task: PeriodicTask | undefined;

  constructor(
    private readonly log: ProvisioningLogService,
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    if (this.options.retentionMs <= 0 || this.task !== undefined) return;
    this.task = runPeriodically(this.options.intervalMs, () => this.pruneNow(), this.options.onError);
  }

  /** Removes what is older than the retention now; how many log entries. */
  pruneNow(at: number = Date.now()): Promise<number> {
    return this.log.prune(new Date(at - this.options.retentionMs).toISOString());
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    await task?.stop();
  }
}
