// Okta's provisioning sequence (docs/idp-rules.md#okta), replayed from fixtures/okta.json, and
// Okta's import, which pages through /Users and /Groups: a loop, so it is written as code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { GROUP_SCHEMA, startServer, userBody, type Json, type TestServer } from '../support/scim-client.js';
import { replayFlow } from './fixtures/replay.js';

replayFlow('okta.json');

const OKTA = { 'user-agent': 'Okta SCIM Client 1.0.0' };

for (const engine of testEngines()) {
  describe(`Okta import (paged by startIndex) on ${engine.name}`, () => {
    let server: TestServer;
    const users: string[] = [];
    const groups: string[] = [];
    before(async () => {
      server = await startServer(engine);
      for (let index = 0; index < 7; index += 1) {
        const response = await server.request('POST', '/Users', userBody(`import${index}@acme.example`, { password: 'pl4ceh0lder' }), OKTA);
        assert.equal(response.status, 201, response.text);
        users.push(String(response.body.id));
      }
      for (const displayName of ['Import A', 'Import B', 'Import C']) {
        const response = await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName, members: [] }, OKTA);
        assert.equal(response.status, 201, response.text);
        groups.push(String(response.body.id));
      }
    });
    after(() => server.close());

    /** Reads a collection as Okta's import does: startIndex += count while totalResults says there is more. */
    async function importAll(resource: 'Users' | 'Groups', count: number): Promise<{ ids: string[]; pages: Json[] }> {
      const ids: string[] = [];
      const pages: Json[] = [];
      for (let startIndex = 1; ; startIndex += count) {
        const response = await server.request('GET', `/${resource}?startIndex=${startIndex}&count=${count}`, undefined, OKTA);
        assert.equal(response.status, 200, response.text);
        const page = response.body;
        pages.push(page);
        for (const field of ['totalResults', 'itemsPerPage', 'startIndex'] as const) {
          assert.ok(Number.isInteger(page[field]), `${field} is a JSON integer: ${JSON.stringify(page[field])}`);
        }
        assert.equal(page.startIndex, startIndex);
        const resources = (page.Resources as Json[] | undefined) ?? [];
        assert.equal(page.itemsPerPage, resources.length);
        ids.push(...resources.map((resource) => String(resource.id)));
        if (startIndex + count > Number(page.totalResults) || resources.length === 0) break;
      }
      return { ids, pages };
    }

    it('Okta import pages through /Users with count and startIndex: every user exactly once, integer paging fields', async () => {
      const { ids, pages } = await importAll('Users', 3);
      assert.deepEqual(pages.map((page) => page.itemsPerPage), [3, 3, 1]);
      assert.ok(pages.every((page) => page.totalResults === 7));
      assert.equal(new Set(ids).size, ids.length, 'no user twice');
      assert.deepEqual([...ids].sort(), [...users].sort());
    });

    it('Okta import: the order is stable across passes and page sizes', async () => {
      const first = (await importAll('Users', 3)).ids;
      const second = (await importAll('Users', 3)).ids;
      const other = (await importAll('Users', 2)).ids;
      assert.deepEqual(second, first);
      assert.deepEqual(other, first);
    });

    it('Okta import pages through /Groups the same way', async () => {
      const { ids, pages } = await importAll('Groups', 2);
      assert.deepEqual(pages.map((page) => page.itemsPerPage), [2, 1]);
      assert.deepEqual([...ids].sort(), [...groups].sort());
    });
  });
}
