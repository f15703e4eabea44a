import { hostname } from 'node:os';
import { allowPrivateWebhookTargets } from '../../config-webhooks.js';
import type { AttemptOutcome, DeliveryTask } from '../../store/webhook-store.js';
import type { Store } from '../../store/store.js';
import { newId, now } from '../clock.js';
import { fanOut } from './fan-out.js';
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry-policy.js';
import { sendDelivery } from './send.js';
import { WebhookTransport, type Resolve } from './webhook-transport.js';

/** Told of every finished try (metrics). */
export interface DeliveryObserver {
  attempted(outcome: AttemptOutcome['kind'], durationMs: number): void;
}

export interface DispatcherOptions {
  /** Sleep between polls when there was nothing to do; default 1,000 ms. */
  readonly pollMs?: number;
  /** Deliveries claimed (and sent concurrently) at a time; default 20. */
  readonly batchSize?: number;
  readonly retry?: RetryPolicy;
  /** How long a claim lasts; it must outlast a try (timeoutMs) by far. Default 60,000 ms. */
  readonly leaseMs?: number;
  /** Per-try HTTP timeout; default 10,000 ms. */
  readonly timeoutMs?: number;
  /** Whether receivers on non-public addresses are allowed; default ROSTER_WEBHOOK_ALLOW_PRIVATE. */
  readonly allowPrivateTargets?: boolean;
  /** How host names are resolved (the system's DNS by default). */
  readonly resolve?: Resolve;
  readonly observer?: DeliveryObserver;
  readonly onError?: (error: unknown) => void;
}

/**
 * Sends webhook deliveries: turns new outbox events into deliveries (fan-out.ts), claims due
 * ones under a lease, POSTs them signed (to public addresses only, unless allowed: see
 * webhook-transport.ts), and records each try (delivered, retried later with
 * backoff, or dead after the last try).
 *
 * Several processes may run one each on a shared PostgreSQL database: claims skip rows
 * another process is claiming and leased rows are not claimed again until the lease ends, so
 * under normal operation every delivery is sent once. A process that dies mid-send leaves
 * its lease to run out; another process (or itself, restarted) then sends the delivery again:
 * at least once, never lost.
 */
export class WebhookDispatcher {
  /** This process's name on its leases. */
  readonly owner = `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly retry: RetryPolicy;
  private readonly leaseMs: number;
  private readonly transport: WebhookTransport;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: DispatcherOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 20;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.transport = new WebhookTransport({
      allowPrivateTargets: options.allowPrivateTargets ?? allowPrivateWebhookTargets(),
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    });
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.running !== undefined) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /**
   * Stops polling, lets the tries in flight finish (each is bounded by timeoutMs), and gives
   * up this process's remaining leases so that another process can send at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
    this.transport.close();
    await this.store.read.webhooks.releaseLeases(this.owner).catch((error: unknown) => this.options.onError?.(error));
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let worked = 0;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (worked === 0 && !this.stopping) await this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One round: fan-out, then one claimed batch sent. Returns how much was done (0: idle). */
  async runOnce(): Promise<number> {
    const read = await fanOut(this.store);
    const at = Date.now();
    const tasks = await this.store.transaction((tx) => tx.webhooks.claim(this.owner, new Date(at).toISOString(), new Date(at + this.leaseMs).toISOString(), this.batchSize));
    await Promise.all(tasks.map((task) => this.attempt(task)));
    return read + tasks.length;
  }

  private async attempt(task: DeliveryTask): Promise<void> {
    const started = performance.now();
    const result = await sendDelivery(task, this.transport);
    const attempts = task.delivery.attempts + 1;
    let outcome: AttemptOutcome;
    if (result.ok) outcome = { kind: 'delivered', status: result.status };
    else if (attempts >= this.retry.maxAttempts) outcome = { kind: 'dead', status: result.status, error: result.error };
    else {
      const delay = retryDelay(this.retry, attempts, result.retryAfterMs);
      outcome = { kind: 'retry', status: result.status, error: result.error, nextAttemptAt: new Date(Date.now() + delay).toISOString() };
    }
    this.options.observer?.attempted(outcome.kind, performance.now() - started);
    try {
      await this.store.read.webhooks.finishAttempt(task.delivery.tenantId, task.delivery.id, this.owner, outcome, now());
    } catch (error) {
      // The lease runs out and the delivery is tried again: at least once.
      this.options.onError?.(error);
    }
  }
}
