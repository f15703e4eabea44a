import { runLoad } from './load.js';
import type { BenchContext } from './scenario.js';
import { filterUserNameScenario, userByIdScenario } from './scenarios-read.js';
import { userPatchScenario } from './scenarios-write.js';

/** Unmeasured reads before the first scenario, so that it does not pay the process's warm-up. */
const PRIME_READS_MS = 5000;

/**
 * Brings each Roster process to the state a serving process is in before anything is measured:
 * a few writes first (a process that has written runs Node's promise hooks for the request-log
 * scope from then on, so reads measured in a process that never wrote would look cheaper than
 * in production), then some seconds of the read scenarios' requests (JIT, statement caches, the
 * database's pages), so that whichever scenario runs first is measured like the others.
 */
export async function primeRoster(context: BenchContext): Promise<void> {
  for (const server of context.roster) {
    const write = userPatchScenario(context);
    await runLoad({ ...write.load, targets: [{ host: server.host, port: server.port }], headers: write.headers ?? context.headers, connections: 1, durationMs: 5000, maxRequests: 20 });
  }
  const targets = context.roster.map((server) => ({ host: server.host, port: server.port }));
  const byId = userByIdScenario(context);
  const filter = filterUserNameScenario(context);
  await runLoad({
    targets,
    headers: context.headers,
    connections: context.options.connections,
    durationMs: PRIME_READS_MS,
    next: (connection) => (connection % 2 === 0 ? byId.load.next(connection) : filter.load.next(connection)),
  });
}
