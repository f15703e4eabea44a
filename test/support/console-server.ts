import assert from 'node:assert/strict';
import { buildApp } from '../../src/http/app.js';
import { createServices, type Services } from '../../src/service/services.js';
import { openSqliteStore } from '../../src/store/sql/sqlite/sqlite-store.js';

/**
 * Roster listening on 127.0.0.1 (port 0), as a browser reaches it: an empty in-memory SQLite
 * store, no public URL (the console's own origin), and an operator key.
 */
export interface ConsoleServer {
  readonly services: Services;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly operatorKey: string;
  /** A management API request with the operator key over HTTP; fails the test on any status but 2xx. */
  api(this: void, method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startConsoleServer(keyName: string): Promise<ConsoleServer> {
  const store = openSqliteStore({ filename: ':memory:' });
  await store.migrate();
  const services = createServices(store);
  const app = await buildApp({ services });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const operatorKey = (await services.operatorKeys.create(keyName)).secret;
  return {
    services,
    origin,
    operatorKey,
    async api(method, path, body) {
      const response = await fetch(`${origin}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${operatorKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
      return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
