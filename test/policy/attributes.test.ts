import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { assertScimError, USER_SCHEMA, userBody } from '../support/scim-client.js';
import { patchOp, policyServer } from './policy-client.js';

const HINSLEY = 'urn:ietf:params:scim:schemas:extension:hinsley:2.0:User';

const hinsleySchema = {
  id: HINSLEY,
  attributes: [
    { name: 'language', type: 'string' },
    { name: 'timezone', type: 'string' },
    { name: 'privilege', type: 'string', canonicalValues: ['member', 'inactive'] },
    { name: 'seats', type: 'integer' },
  ],
};

for (const engine of testEngines()) {
  describe(`attribute policies on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('ignores unknown attributes by default and rejects them, named, with strictAttributes', async () => {
      const tenant = await policy.tenant();
      assert.equal((await tenant.scim('POST', '/Users', userBody('lax@example.com', { favouriteColour: 'blue' }))).status, 201);
      await tenant.settings({ strictAttributes: true });
      const refused = await tenant.scim('POST', '/Users', userBody('strict@example.com', { favouriteColour: 'blue' }));
      assertScimError(refused, 400, 'invalidValue');
      assert.match(String(refused.body.detail), /favouriteColour/);
    });

    it('refuses a user without a required attribute with a 400 that names it', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ requiredAttributes: ['emails'] });
      const refused = await tenant.scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'noemail' });
      assertScimError(refused, 400, 'invalidValue');
      assert.match(String(refused.body.detail), /"emails"/);
      assert.equal((await tenant.scim('POST', '/Users', userBody('withemail@example.com'))).status, 201);
      assertApiError(await tenant.api('PATCH', '', { settings: { requiredAttributes: ['favouriteColour'] } }), 'INVALID');
    });

    it('validates, stores and filters on a tenant\'s own extension attributes', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ extensionSchemas: [hinsleySchema], requiredAttributes: [`${HINSLEY}:language`] });
      const created = await tenant.scim('POST', '/Users', userBody('ada@example.com', { schemas: [USER_SCHEMA, HINSLEY], [HINSLEY]: { language: 'fr', timezone: 'Europe/Paris', privilege: 'member' } }));
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body[HINSLEY], { language: 'fr', timezone: 'Europe/Paris', privilege: 'member' });
      assert.ok((created.body.schemas as string[]).includes(HINSLEY));
      await tenant.createUser('bob@example.com', { [HINSLEY]: { language: 'en' } });
      const found = await tenant.scim('GET', `/Users?filter=${encodeURIComponent(`${HINSLEY}:language eq "fr"`)}`);
      assert.equal(found.status, 200, found.text);
      assert.deepEqual((found.body.Resources as { userName: string }[]).map((user) => user.userName), ['ada@example.com']);
      assertScimError(await tenant.scim('POST', '/Users', userBody('bad@example.com', { [HINSLEY]: { language: 'en', seats: 'many' } })), 400, 'invalidValue');
      assertScimError(await tenant.scim('POST', '/Users', userBody('bad@example.com', { [HINSLEY]: { language: 'en', privilege: 'owner' } })), 400, 'invalidValue');
      const missing = await tenant.scim('POST', '/Users', userBody('nolang@example.com'));
      assertScimError(missing, 400, 'invalidValue');
      assert.match(String(missing.body.detail), /language/);
      const patched = await tenant.scim('PATCH', `/Users/${String(created.body.id)}`, patchOp([{ op: 'replace', path: `${HINSLEY}:timezone`, value: 'UTC' }]));
      assert.equal((patched.body[HINSLEY] as { timezone: string }).timezone, 'UTC');
    });

    it('lists a tenant\'s extension schema at /Schemas and /ResourceTypes for that tenant only', async () => {
      const tenant = await policy.tenant();
      const other = await policy.tenant('Other');
      await tenant.settings({ extensionSchemas: [hinsleySchema] });
      const schemas = await tenant.scim('GET', '/Schemas');
      assert.ok((schemas.body.Resources as { id: string }[]).some((schema) => schema.id === HINSLEY));
      const one = await tenant.scim('GET', `/Schemas/${HINSLEY}`);
      assert.deepEqual((one.body.attributes as { name: string }[]).map((attribute) => attribute.name), ['language', 'timezone', 'privilege', 'seats']);
      const type = await tenant.scim('GET', '/ResourceTypes/User');
      assert.ok((type.body.schemaExtensions as { schema: string }[]).some((extension) => extension.schema === HINSLEY));
      const elsewhere = await other.scim('GET', '/Schemas');
      assert.ok(!(elsewhere.body.Resources as { id: string }[]).some((schema) => schema.id === HINSLEY));
      assert.equal((await other.scim('GET', `/Schemas/${HINSLEY}`)).status, 404);
      // The other tenant ignores the attributes as unknown.
      const ignored = await other.scim('POST', '/Users', userBody('ada@example.com', { [HINSLEY]: { language: 'fr' } }));
      assert.equal(ignored.body[HINSLEY], undefined);
    });

    it('refuses extension schemas that clash with built-in ones or are not Okta-style User URNs', async () => {
      const tenant = await policy.tenant();
      assertApiError(await tenant.api('PATCH', '', { settings: { extensionSchemas: [{ id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attributes: [{ name: 'x', type: 'string' }] }] } }), 'INVALID');
      assertApiError(await tenant.api('PATCH', '', { settings: { extensionSchemas: [{ id: 'urn:example:custom', attributes: [{ name: 'x', type: 'string' }] }] } }), 'VALIDATION_FAILED');
      assertApiError(await tenant.api('PATCH', '', { settings: { extensionSchemas: [{ id: HINSLEY, attributes: [{ name: 'x', type: 'string' }, { name: 'X', type: 'integer' }] }] } }), 'INVALID');
    });
  });
}
