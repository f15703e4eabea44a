/**
 * The reference server: a hello-world Fastify route (`GET /hello` → `{"hello":"world"}`) with
 * the same Fastify version and logging setting as Roster, measured by the same load generator
 * in the same run, so Roster's figures can be given as a ratio to it.
 */
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { reportFailure, reportReady } from './meter.js';

async function main(): Promise<void> {
  const modulesLoadedMs = performance.now();
  const app = Fastify({ logger: false });
  app.get('/hello', () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  reportReady(port, { modulesLoadedMs, storeReadyMs: modulesLoadedMs, listeningMs: performance.now() }, () => app.close());
}

main().catch(reportFailure);
