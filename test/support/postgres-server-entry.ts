// One real Roster process for the multi-process tests: opens the store DATABASE_URL names the
// way `roster serve` does (migrations included, so several starting at once exercise the
// migration lock), listens on 127.0.0.1 and an ephemeral port, and prints `{"port":N}` as
// its first line of output. Ends on SIGTERM or when its parent closes stdin.
import { buildApp } from '../../src/http/app.js';
import { createServices } from '../../src/service/services.js';
import { openStore } from '../../src/store/open-store.js';

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') throw new Error('postgres-server-entry needs DATABASE_URL');

const store = openStore({ dataDir: '', databaseUrl });
await store.migrate();
const app = await buildApp({ services: createServices(store), logLevel: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no TCP address');
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void app
    .close()
    .then(() => store.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
// A parent that dies without killing this process closes the pipe: do not outlive it.
process.stdin.on('end', stop);
process.stdin.resume();
