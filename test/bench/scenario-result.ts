import type { ScenarioResult } from '../../bench/scenario.js';

/** A scenario's result as the benchmark reports it: 100 successful requests of 1 ms unless `figures` says otherwise. */
export function scenarioResult(id: string, figures: Partial<ScenarioResult> = {}): ScenarioResult {
  const p50Ms = figures.latency?.p50Ms ?? 1;
  return {
    id,
    title: id,
    processes: 1,
    connections: 16,
    seconds: 5,
    warmupSeconds: 1,
    requests: 100,
    errors: 0,
    perSecond: 20,
    latency: { count: 100, meanMs: p50Ms, p50Ms, p90Ms: p50Ms, p99Ms: p50Ms, maxMs: p50Ms },
    firstByteP50Ms: 1,
    cpuMsPerRequest: 1,
    cpuCores: 0.5,
    clientCpuCores: 0.1,
    rssBeforeBytes: 0,
    peakRssBytes: 0,
    bodyBytesPerRequest: 100,
    statuses: { 200: 100 },
    tags: {},
    notes: [],
    ...figures,
  };
}
