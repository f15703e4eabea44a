import type { LogCompletion, ProvisioningLogEntry } from '../../store/log-store.js';
import type { RefusedMinute } from '../../store/refused-request-store.js';
import type { Store } from '../../store/store.js';

/** The minute an instant falls in, as the summary of refused requests keys it. */
function minuteOf(at: string): string {
  return `${at.slice(0, 16)}:00.000Z`;
}

export interface LogRecorderOptions {
  /** How long entries wait to be written together; default 200 ms. */
  readonly flushMs?: number;
  /** Entries kept while the database does not answer; past it the oldest are dropped. Default 10,000. */
  readonly maxQueued?: number;
  /** Told of a failed write (the entries stay queued for the next try). */
  readonly onError?: (error: unknown) => void;
  /** A successful read is logged when the token's last logged one is this old; default 60,000 ms. */
  readonly readSampleMs?: number;
}

/**
 * Writes the provisioning log's after-the-response rows: entries of requests that wrote
 * nothing (reads, refused requests) and the responses (status, duration) of entries that
 * their write's transaction already holds. They are batched, one transaction per flush,
 * so that logging a read costs the read almost nothing. What is queued when the process
 * dies is lost; no write is, since a write's entry commits with it.
 *
 * Requests refused for want of valid credentials are only counted, per tenant and minute
 * (`refused`): whoever knows a tenant id must not be able to fill its log.
 *
 * Successful reads are sampled (`read`): one per token a minute, so that the log and the
 * console's connection status show that a token reads, without a row for each of the reads
 * an IdP makes before every write. Writes and errors are always logged.
 */
export class LogRecorder {
  private entries: ProvisioningLogEntry[] = [];
  private completions: LogCompletion[] = [];
  private refusedMinutes = new Map<string, RefusedMinute>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly maxQueued: number;
  private readonly readSampleMs: number;
  /** When each token's last successful read was logged (ms), by tenant and token. */
  private lastReadLogged = new Map<string, number>();
  /** Rows dropped because the queue was full or the database refused them twice. */
  dropped = 0;
  private failedBatches = 0;

  /** `store` must be the undecorated store: a flush is not part of any request. */
  constructor(
    private readonly store: Store,
    private readonly options: LogRecorderOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 200;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.readSampleMs = options.readSampleMs ?? 60_000;
  }

  /**
   * Queues the entry of a successful read if the token's last logged read is
   * `readSampleMs` old or more (or was never logged by this process); drops it otherwise.
   * `entry` is called only for a read that is kept: most are not, and building one costs.
   */
  read(tenantId: string, tokenId: string | null, entry: () => ProvisioningLogEntry, nowMs = Date.now()): void {
    const key = `${tenantId} ${tokenId ?? ''}`;
    const last = this.lastReadLogged.get(key);
    if (last !== undefined && nowMs - last < this.readSampleMs) return;
    // One key per token: bounded by the tokens that exist, capped all the same.
    if (last === undefined && this.lastReadLogged.size >= this.maxQueued) this.lastReadLogged = new Map();
    this.lastReadLogged.set(key, nowMs);
    this.add(entry());
  }

  /** Queues a finished entry of a request that wrote nothing. */
  add(entry: ProvisioningLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.maxQueued) {
      this.dropped += this.entries.length - this.maxQueued;
      this.entries.splice(0, this.entries.length - this.maxQueued);
    }
    this.schedule();
  }

  /** Queues the response of an entry a committed transaction wrote. */
  complete(completion: LogCompletion): void {
    this.completions.push(completion);
    if (this.completions.length > this.maxQueued) {
      this.dropped += this.completions.length - this.maxQueued;
      this.completions.splice(0, this.completions.length - this.maxQueued);
    }
    this.schedule();
  }

  /** Counts a request naming `tenantId` that was refused before authentication succeeded. */
  refused(tenantId: string, at: string, status: number, userAgent: string | null): void {
    this.countRefused({ tenantId, minute: minuteOf(at), count: 1, lastAt: at, lastStatus: status, lastUserAgent: userAgent });
    this.schedule();
  }

  private countRefused(minute: RefusedMinute): void {
    const key = `${minute.tenantId} ${minute.minute}`;
    const known = this.refusedMinutes.get(key);
    if (known === undefined) {
      // One key per tenant and minute: bounded by the tenants that exist, capped all the same.
      if (this.refusedMinutes.size >= this.maxQueued) {
        this.dropped += 1;
        return;
      }
      this.refusedMinutes.set(key, minute);
      return;
    }
    const latest = minute.lastAt >= known.lastAt ? minute : known;
    this.refusedMinutes.set(key, { ...latest, count: known.count + minute.count });
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
    // A queued log row must not keep a finished process (a CLI command, a test) alive.
    this.timer.unref();
  }

  /** Writes what is queued now; resolves when it is written (or failed and was re-queued). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const entries = this.entries;
    const completions = this.completions;
    const refused = [...this.refusedMinutes.values()];
    if (entries.length === 0 && completions.length === 0 && refused.length === 0) return;
    this.entries = [];
    this.completions = [];
    this.refusedMinutes = new Map();
    try {
      await this.store.transaction(async (tx) => {
        for (let start = 0; start < entries.length; start += 200) await tx.provisioningLog.insertMany(entries.slice(start, start + 200));
        await tx.provisioningLog.complete(completions);
        await tx.refusedRequests.add(refused);
      });
      this.failedBatches = 0;
    } catch (error) {
      if (this.options.onError === undefined) process.emitWarning(`provisioning log not written: ${error instanceof Error ? error.message : String(error)}`, { code: 'ROSTER_LOG_WRITE' });
      else this.options.onError(error);
      // One more try for a database that was briefly away; a batch that fails twice (rows of
      // a tenant deleted meanwhile) is dropped rather than blocking every later row.
      this.failedBatches += 1;
      if (this.failedBatches > 1) {
        this.dropped += entries.length + completions.length + refused.length;
        this.failedBatches = 0;
        return;
      }
      this.entries = [...entries, ...this.entries];
      this.completions = [...completions, ...this.completions];
      for (const minute of refused) this.countRefused(minute);
      this.schedule();
    }
  }

  /** Stops the timer and writes what is queued (on shutdown). */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
