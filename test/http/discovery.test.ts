import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreUserSchema } from '../../src/schema/core-user.js';
import { testEngines } from '../support/engines.js';
import { ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA, assertScimError, startServer, type Json, type TestServer } from '../support/scim-client.js';

for (const engine of testEngines()) {
  describe(`discovery on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('serves ServiceProviderConfig with every RFC 7643 §5 member', async () => {
      const response = await server.request('GET', '/ServiceProviderConfig');
      assert.equal(response.status, 200);
      const body = response.body;
      assert.deepEqual(body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
      for (const key of ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag']) assert.equal(typeof (body[key] as Json).supported, 'boolean', key);
      assert.equal((body.filter as Json).supported, true);
      assert.equal((body.etag as Json).supported, true);
      assert.equal(typeof (body.filter as Json).maxResults, 'number');
      const schemes = body.authenticationSchemes as Json[];
      assert.equal(schemes[0]?.type, 'oauthbearertoken');
      assert.equal((body.meta as Json).location, `https://roster.test${server.base}/ServiceProviderConfig`);
    });

    it('lists the User and Group resource types, with the enterprise extension on User', async () => {
      const response = await server.request('GET', '/ResourceTypes');
      assert.equal(response.body.totalResults, 2);
      const user = (response.body.Resources as Json[]).find((type) => type.id === 'User');
      assert.equal(user?.endpoint, '/Users');
      assert.equal(user?.schema, USER_SCHEMA);
      assert.deepEqual(user?.schemaExtensions, [{ schema: ENTERPRISE, required: false }]);
      const one = await server.request('GET', '/ResourceTypes/group');
      assert.equal(one.body.schema, GROUP_SCHEMA);
      assertScimError(await server.request('GET', '/ResourceTypes/Printer'), 404);
    });

    it('serves the same schema definitions that validate requests', async () => {
      const response = await server.request('GET', '/Schemas');
      const ids = (response.body.Resources as Json[]).map((schema) => schema.id);
      assert.deepEqual(ids.sort(), [ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA].sort());
      assert.ok(!ids.some((id) => String(id).startsWith('urn:ietf:params:scim:api:')), 'message schemas are not exposed');
      const user = await server.request('GET', `/Schemas/${USER_SCHEMA}`);
      const attributes = user.body.attributes as Json[];
      assert.deepEqual(attributes.map((attribute) => attribute.name), coreUserSchema.attributes.map((attribute) => attribute.name));
      const userName = attributes.find((attribute) => attribute.name === 'userName');
      assert.deepEqual(
        { required: userName?.required, uniqueness: userName?.uniqueness, caseExact: userName?.caseExact },
        { required: true, uniqueness: 'server', caseExact: false },
      );
      const password = attributes.find((attribute) => attribute.name === 'password');
      assert.deepEqual({ mutability: password?.mutability, returned: password?.returned }, { mutability: 'writeOnly', returned: 'never' });
      assertScimError(await server.request('GET', '/Schemas/urn:example:nothing'), 404);
    });

    it('answers 403 to a filter on a discovery endpoint and ignores paging', async () => {
      assertScimError(await server.request('GET', '/Schemas?filter=id%20eq%20%22x%22'), 403);
      assertScimError(await server.request('GET', '/ResourceTypes?filter=id%20eq%20%22x%22'), 403);
      const paged = await server.request('GET', '/Schemas?startIndex=2&count=1');
      assert.equal((paged.body.Resources as Json[]).length, 3);
    });

    it('answers 501 for /Me', async () => {
      assertScimError(await server.request('GET', '/Me'), 501);
    });
  });
}
