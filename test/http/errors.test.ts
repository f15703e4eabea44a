import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { assertScimError, startServer, userBody, type TestServer } from '../support/scim-client.js';

for (const engine of testEngines()) {
  describe(`errors and health on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('answers 404 with a SCIM error for an unknown SCIM endpoint', async () => {
      assertScimError(await server.request('GET', '/Printers'), 404);
    });

    it('answers 413 with a SCIM error for a body over the limit', async () => {
      const response = await server.request('POST', '/Users', userBody('big@example.com', { title: 'x'.repeat(1_100_000) }));
      assertScimError(response, 413);
    });

    it('answers /healthz and /readyz', async () => {
      assert.deepEqual((await server.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
      assert.deepEqual((await server.app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
    });
  });

  describe(`unexpected failures on ${engine.name}`, () => {
    it('turns an unexpected failure into a 500 SCIM error without internals', async () => {
      const server = await startServer(engine);
      await server.store.close();
      const response = await server.request('GET', '/Users');
      assertScimError(response, 500);
      assert.doesNotMatch(response.text, /sqlite|database|connection|Error:/i);
      const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      await server.app.close();
    });
  });
}
