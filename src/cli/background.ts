import { loadRetention } from '../config-retention.js';
import { allowPrivateWebhookTargets } from '../config-webhooks.js';
import type { RosterMetrics } from '../http/metrics/roster-metrics.js';
import { runPeriodically } from '../service/periodic.js';
import { ErasureWorker } from '../service/erasure.js';
import { EventRetention } from '../service/event-retention.js';
import { LogRetention } from '../service/provisioning-log/retention.js';
import type { Services } from '../service/services.js';
import { WebhookDispatcher } from '../service/webhooks/dispatcher.js';
import { DEFAULT_RETRY_POLICY } from '../service/webhooks/retry-policy.js';

/** What `roster serve` runs beside the HTTP server. */
export interface BackgroundTasks {
  /** Stops them gracefully: tries in flight finish, leases are given back. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new Error(`Invalid ${name} "${text}": use a number of at least ${min}.`);
  return value;
}

/**
 * Starts the webhook dispatcher (unless ROSTER_WEBHOOKS=off), the provisioning log's and the
 * outbox's retention and the background erasures, configured by the environment variables of docs/operations.md.
 */
export function startBackground(
  services: Services,
  metrics: RosterMetrics,
  env: NodeJS.ProcessEnv = process.env,
  onError: (error: unknown) => void = () => undefined,
  onInfo: (fields: Record<string, unknown>, message: string) => void = () => undefined,
): BackgroundTasks {
  const retention = new LogRetention(services.provisioningLog, {
    retentionMs: whole(env, 'ROSTER_LOG_RETENTION_DAYS', 30, 0) * DAY_MS,
    intervalMs: whole(env, 'ROSTER_LOG_PRUNE_INTERVAL_MS', 3_600_000, 1000),
    onError,
  });
  retention.start();
  const retentionConfig = loadRetention(env);
  const events = new EventRetention(services.store, {
    retentionMs: retentionConfig.eventDays * DAY_MS,
    pausedMaxMs: retentionConfig.eventMaxDays * DAY_MS,
    intervalMs: retentionConfig.pruneIntervalMs,
    onError,
  });
  events.start();
  const erasures = new ErasureWorker(services.store);
  erasures.start(retentionConfig.erasureIntervalMs, onError);
  const enabled = (env.ROSTER_WEBHOOKS ?? 'on').toLowerCase() !== 'off';
  const dispatcher = enabled
    ? new WebhookDispatcher(services.store, {
        pollMs: whole(env, 'ROSTER_WEBHOOK_POLL_MS', 1000, 10),
        batchSize: whole(env, 'ROSTER_WEBHOOK_BATCH', 20, 1),
        leaseMs: whole(env, 'ROSTER_WEBHOOK_LEASE_MS', 60_000, 100),
        timeoutMs: whole(env, 'ROSTER_WEBHOOK_TIMEOUT_MS', 10_000, 100),
        allowPrivateTargets: allowPrivateWebhookTargets(env),
        retry: {
          maxAttempts: whole(env, 'ROSTER_WEBHOOK_MAX_ATTEMPTS', DEFAULT_RETRY_POLICY.maxAttempts, 1),
          baseDelayMs: whole(env, 'ROSTER_WEBHOOK_RETRY_BASE_MS', DEFAULT_RETRY_POLICY.baseDelayMs, 0),
          maxDelayMs: whole(env, 'ROSTER_WEBHOOK_RETRY_MAX_MS', DEFAULT_RETRY_POLICY.maxDelayMs, 0),
        },
        observer: metrics,
        onError,
      })
    : undefined;
  dispatcher?.start();
  const purge = startTenantPurge(services, whole(env, 'ROSTER_TENANT_PURGE_INTERVAL_MS', 10_000, 100), onError, onInfo);
  return {
    async stop() {
      await Promise.all([dispatcher?.stop(), retention.stop(), events.stop(), erasures.stop(), purge.stop()]);
    },
  };
}

/**
 * Purges deleted tenants' rows every `intervalMs`, 500 rows per transaction, logging progress
 * every 20 batches and when a tenant is done. Several processes may purge at once: each batch
 * deletes rows that are still there, which is harmless.
 */
function startTenantPurge(
  services: Services,
  intervalMs: number,
  onError: (error: unknown) => void,
  onInfo: (fields: Record<string, unknown>, message: string) => void,
): BackgroundTasks {
  const BATCH = 500;
  let batches = 0;
  const progress = (tenantId: string, removed: number, done: boolean): void => {
    batches += 1;
    if (done) onInfo({ tenantId, removed }, 'deleted tenant purged');
    else if (batches % 20 === 0) onInfo({ tenantId, removed }, 'purging deleted tenant');
  };
  return runPeriodically(intervalMs, () => services.tenants.purgeDeleted(BATCH, progress), onError);
}
