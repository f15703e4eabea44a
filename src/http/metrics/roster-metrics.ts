import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TenantSettings } from '../../policy/settings-schema.js';
import type { DeliveryObserver } from '../../service/webhooks/dispatcher.js';
import type { PoolStats } from '../../store/store.js';

/** Where the gauges read their values at scrape time. */
export interface MetricSources {
  /** Pending webhook deliveries. */
  readonly queueDepth?: () => Promise<number>;
  /** The database pool, where there is one (PostgreSQL). */
  readonly pool?: () => PoolStats | undefined;
  /** Provisioning-log rows dropped (the log's queue was full or the database refused them). */
  readonly logDropped?: () => number;
}

/** Labels of the SCIM request metrics: all bounded (no tenant ids, no resource ids). */
type RequestLabels = 'operation' | 'status' | 'tenant_class';

/** Distinct tenant classes a process reports; past this, classes show as `other`. */
const MAX_TENANT_CLASSES = 20;

/**
 * Roster's Prometheus metrics in a registry of their own (several apps in one process, as in
 * tests, do not collide). Served at /metrics.
 */
export class RosterMetrics implements DeliveryObserver {
  readonly registry = new Registry();
  private readonly requests: Counter<RequestLabels>;
  private readonly latency: Histogram<Exclude<RequestLabels, 'status'>>;
  private readonly attempts: Counter<'outcome'>;
  private readonly failures: Counter<'final'>;
  private readonly attemptLatency: Histogram;
  private readonly classes = new Set<string>();

  constructor(sources: MetricSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'roster_' });
    this.requests = new Counter({
      name: 'roster_scim_requests_total',
      help: 'SCIM requests by operation (method and route), status and tenant class.',
      labelNames: ['operation', 'status', 'tenant_class'],
      registers,
    });
    this.latency = new Histogram({
      name: 'roster_scim_request_duration_seconds',
      help: 'SCIM request latency by operation and tenant class.',
      labelNames: ['operation', 'tenant_class'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.attempts = new Counter({ name: 'roster_webhook_attempts_total', help: 'Webhook delivery tries by outcome (delivered, retry, dead).', labelNames: ['outcome'], registers });
    this.failures = new Counter({
      name: 'roster_webhook_delivery_failures_total',
      help: 'Failed webhook tries; final="true" when the delivery went to the dead-letter list.',
      labelNames: ['final'],
      registers,
    });
    this.attemptLatency = new Histogram({
      name: 'roster_webhook_attempt_duration_seconds',
      help: 'Duration of webhook tries (the receiver answering).',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const { queueDepth, pool, logDropped } = sources;
    new Gauge({
      name: 'roster_webhook_queue_depth',
      help: 'Webhook deliveries waiting to be sent (pending, including those waiting for a retry).',
      registers,
      async collect() {
        if (queueDepth !== undefined) this.set(await queueDepth());
      },
    });
    new Gauge({
      name: 'roster_db_pool_connections',
      help: 'Database pool connections by state (PostgreSQL): total, idle, waiting (requests queued for one) and max.',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = pool?.();
        if (stats === undefined) return;
        for (const [state, value] of Object.entries(stats) as [string, number][]) this.set({ state }, value);
      },
    });
    new Gauge({
      name: 'roster_provisioning_log_dropped_total',
      help: 'Provisioning-log rows of reads and refused requests dropped because the database did not take them.',
      registers,
      collect() {
        if (logDropped !== undefined) this.set(logDropped());
      },
    });
  }

  /**
   * A tenant's class for metric labels: its `metricsClass` setting (a short slug, e.g. a plan
   * name; settings-schema.ts), else `default`; `none` for a request without a tenant. Bounded,
   * so a label never carries a tenant id and series stay few.
   */
  tenantClass(settings: TenantSettings | undefined): string {
    if (settings === undefined) return 'none';
    const wanted = settings.metricsClass;
    if (wanted === null) return 'default';
    if (this.classes.has(wanted)) return wanted;
    if (this.classes.size >= MAX_TENANT_CLASSES) return 'other';
    this.classes.add(wanted);
    return wanted;
  }

  /** One finished SCIM request. */
  request(operation: string, status: number, tenantClass: string, seconds: number): void {
    this.requests.inc({ operation, status: String(status), tenant_class: tenantClass });
    this.latency.observe({ operation, tenant_class: tenantClass }, seconds);
  }

  attempted(outcome: 'delivered' | 'retry' | 'dead', durationMs: number): void {
    this.attempts.inc({ outcome });
    this.attemptLatency.observe(durationMs / 1000);
    if (outcome !== 'delivered') this.failures.inc({ final: outcome === 'dead' ? 'true' : 'false' });
  }
}
