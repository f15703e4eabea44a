import { runLoad, type LoadSpec } from './load.js';
import type { MeteredServer, MeterSample } from './meter.js';

/** Length of each warm-up slice after the first. */
const SLICE_MS = 1000;
/** Warm-up ends when a slice costs no less than this share of the slice before it. */
const STEADY = 0.9;
/** No warm-up goes on longer than this, steady or not. */
const MAX_WARMUP_MS = 15_000;

/** CPU µs the servers used between two sets of marks; NaN when one did not answer. */
export function cpuMicrosBetween(before: readonly (MeterSample | undefined)[], after: readonly (MeterSample | undefined)[]): number {
  let micros = 0;
  for (const [index, sample] of after.entries()) {
    const start = before[index];
    micros += sample === undefined || start === undefined ? Number.NaN : sample.cpuUserUs + sample.cpuSystemUs - start.cpuUserUs - start.cpuSystemUs;
  }
  return micros;
}

/**
 * The cost of one request in a slice: server CPU µs per successful request when the servers
 * can be metered, else wall µs per request (a peer without a PID).
 */
async function sliceCost(spec: LoadSpec, servers: readonly MeteredServer[]): Promise<number> {
  const before = await Promise.all(servers.map((server) => server.mark()));
  const result = await runLoad({ ...spec, durationMs: SLICE_MS });
  const cpu = cpuMicrosBetween(before, await Promise.all(servers.map((server) => server.mark())));
  if (result.ok === 0) return Number.NaN;
  return Number.isFinite(cpu) ? cpu / result.ok : (result.seconds * 1e6) / result.ok;
}

/**
 * Warms the servers up with the scenario's own load until they are steady: `minimumMs`
 * first, then one-second slices until a slice's cost per request is no longer 10 % below the
 * slice before (at most 15 s in all). A freshly started server pays for its JIT and caches in
 * its first thousands of requests (Roster's first GET /Users/{id} runs cost 1.26, 0.70, then
 * 0.51 ms of CPU per request, one after the other), and a peer has been warmed by its seeding:
 * only a steady server can be compared. Returns the milliseconds spent.
 */
export async function warmUp(spec: LoadSpec, servers: readonly MeteredServer[], minimumMs: number): Promise<number> {
  await runLoad({ ...spec, durationMs: minimumMs });
  let spent = minimumMs;
  let previous = Number.NaN;
  while (spent + SLICE_MS <= MAX_WARMUP_MS) {
    const cost = await sliceCost(spec, servers);
    spent += SLICE_MS;
    if (!Number.isFinite(cost) || cost >= STEADY * previous) break;
    previous = cost;
  }
  return spent;
}
