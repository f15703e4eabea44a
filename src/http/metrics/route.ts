import type { FastifyInstance } from 'fastify';
import type { Services } from '../../service/services.js';
import { RosterMetrics } from './roster-metrics.js';

/** Metrics whose gauges read the services' state (queue depth, pool, log drops). */
export function metricsFor(services: Services): RosterMetrics {
  return new RosterMetrics({
    queueDepth: () => services.webhooks.queueDepth(),
    pool: () => services.store.poolStats?.(),
    logDropped: () => services.provisioningLog.recorder.dropped,
  });
}

/**
 * GET /metrics in Prometheus's text format. Like /healthz it needs no credentials and shows
 * no tenant data (labels are bounded: operations, statuses, tenant classes); keep it on a
 * network only the scraper reaches (docs/operations.md).
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: RosterMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}
