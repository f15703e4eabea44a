/**
 * A Roster server for the benchmark, in a process of its own so that its CPU time and memory
 * can be measured apart from the load generator. It starts Roster as `roster serve` does
 * (configuration from the environment, store and migrations, services, metrics, the Fastify
 * app with the configured limits, background tasks), with request logging off and port 0,
 * and reports to the benchmark over IPC (meter.ts). The benchmark sets ROSTER_DATA_DIR or
 * DATABASE_URL, and rate limits high enough never to answer 429 (the limiter still runs).
 */
import { performance } from 'node:perf_hooks';
import { startBackground } from '../src/cli/background.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { metricsFor } from '../src/http/metrics/route.js';
import { createServices } from '../src/service/services.js';
import { openStore } from '../src/store/open-store.js';
import { reportFailure, reportReady } from './meter.js';

async function main(): Promise<void> {
  const modulesLoadedMs = performance.now();
  const config = loadConfig({ port: '0', host: '127.0.0.1' });
  const store = openStore(config);
  await store.migrate();
  const storeReadyMs = performance.now();
  const services = createServices(store);
  const metrics = metricsFor(services);
  const app = await buildApp({ services, metrics, publicUrl: config.publicUrl, logLevel: false, ...config.limits });
  await app.listen({ port: config.port, host: config.host });
  const background = startBackground(services, metrics, process.env, (error) => console.error('background task failed', error));
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  reportReady(port, { modulesLoadedMs, storeReadyMs, listeningMs: performance.now() }, async () => {
    await background.stop();
    await app.close();
    await store.close();
  });
}

main().catch(reportFailure);
