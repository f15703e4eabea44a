import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAttributePath } from '../../src/schema/attribute-path.js';
import { baseRegistry, userResourceType } from '../../src/schema/registry.js';
import type { AttributeDefinition } from '../../src/schema/types.js';
import { redactBody, redactQuery } from '../../src/service/provisioning-log/redact.js';
import { adminClient } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { flushProvisioningLog, startServer, userBody, USER_SCHEMA, type TestServer } from '../support/scim-client.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const EXTENSION = 'urn:example:params:scim:schemas:extension:badge:2.0:User';

function attribute(name: string, extra: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return { name, type: 'string', multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra };
}

/**
 * A registry with secrets no spelling rule would guess: `pin` (writeOnly), `recoveryCode`
 * (never returned) and `badge.code` (a writeOnly sub-attribute), beside User's `password`.
 */
const registry = baseRegistry.withExtensions([
  {
    resourceType: 'User',
    required: false,
    schema: {
      id: EXTENSION,
      name: 'Badge',
      description: 'test',
      attributes: [
        attribute('pin', { mutability: 'writeOnly', returned: 'never' }),
        attribute('recoveryCode', { returned: 'never' }),
        attribute('badge', { type: 'complex', subAttributes: [attribute('code', { mutability: 'writeOnly' }), attribute('color')] }),
      ],
    },
  },
]);

/** A word in any mix of cases. */
function anyCase(word: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((c, i) => (upper[i] === true ? c.toUpperCase() : c.toLowerCase())).join(''));
}

/** A secret attribute and the schema URN that qualifies it. */
const secrets = fc.constantFrom(
  { urn: USER_SCHEMA, path: 'password' },
  { urn: EXTENSION, path: 'pin' },
  { urn: EXTENSION, path: 'recoveryCode' },
  { urn: EXTENSION, path: 'badge.code' },
);

/** Every way the parsers accept to name a secret attribute: any case, with or without its URN. */
const spellings = fc
  .tuple(secrets, fc.boolean())
  .chain(([secret, qualified]) => fc.tuple(anyCase(qualified ? `${secret.urn}:${secret.path}` : secret.path), fc.constant(secret)));

const secretValue = fc.stringMatching(/^[0-9a-f]{8,16}$/).map((hex) => `S3cret-${hex}`);

/** How a request carries a secret: attribute keys, PATCH paths and values, extension objects, Bulk. */
type Carrier = (spelling: string, secret: { urn: string; path: string }, value: string, keys: { path: string; value: string; ops: string }) => unknown;
const carriers: readonly Carrier[] = [
  (spelling, _secret, value) => ({ schemas: [USER_SCHEMA], userName: 'a@example.com', [spelling]: value, title: 'Boss' }),
  (spelling, _secret, value, keys) => ({ schemas: [PATCH_OP], [keys.ops]: [{ op: 'Replace', [keys.path]: ` ${spelling} `, [keys.value]: value }] }),
  (spelling, _secret, value, keys) => ({ schemas: [PATCH_OP], [keys.ops]: [{ op: 'add', [keys.path]: spelling, [keys.value]: [value] }] }),
  (spelling, _secret, value, keys) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', [keys.value]: { [spelling]: value, title: 'Boss' } }] }),
  // The extension's URN as the key (or the PATCH path) and its attributes inside.
  (_spelling, secret, value) => ({ [secret.urn.toUpperCase()]: nested(secret.path, value) }),
  (_spelling, secret, value, keys) => ({ schemas: [PATCH_OP], Operations: [{ op: 'add', [keys.path]: secret.urn, [keys.value]: nested(secret.path, value) }] }),
  (spelling, _secret, value) => ({ schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', bulkId: 'b', data: { userName: 'b@example.com', [spelling]: value } }] }),
  (spelling, _secret, value, keys) => ({
    schemas: [BULK],
    Operations: [{ method: 'PATCH', path: '/Users/1', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', [keys.path]: spelling, [keys.value]: value }] } }],
  }),
];

/** `badge.code` as `{"badge":{"code":…}}`, the others as `{"pin":…}`. */
function nested(path: string, value: string): Record<string, unknown> {
  const [name = path, sub] = path.split('.');
  return sub === undefined ? { [name.toUpperCase()]: value } : { [name]: { [sub.toUpperCase()]: value } };
}

describe('redaction by schema', () => {
  it('the generated spellings are ones the schema registry resolves to a secret attribute', () => {
    fc.assert(
      fc.property(spellings, ([spelling]) => {
        const path = parseAttributePath(spelling);
        assert.ok(path !== undefined, spelling);
        const resolved = registry.resolve(userResourceType, path);
        const definition = resolved?.subAttribute ?? resolved?.attribute;
        assert.ok(definition !== undefined && (definition.mutability === 'writeOnly' || definition.returned === 'never'), spelling);
      }),
      { numRuns: 200 },
    );
  });

  it('removes a secret however the request names it: case, URN, PATCH path and value objects, extension objects, Bulk', () => {
    const keys = fc.record({ path: anyCase('path'), value: anyCase('value'), ops: anyCase('operations') });
    fc.assert(
      fc.property(spellings, secretValue, keys, fc.integer({ min: 0, max: carriers.length - 1 }), ([spelling, secret], value, keyNames, which) => {
        const body = carriers[which]?.(spelling, secret, value, keyNames);
        const logged = redactBody(body, registry) ?? '';
        assert.ok(!logged.includes(value), `secret kept: ${logged}`);
        assert.match(logged, /\[REDACTED\]/);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps what is not secret, and uses the names the tenant registry marks', () => {
    const text = redactBody({ userName: 'a@example.com', title: 'Boss', pin: '1234', [EXTENSION]: { badge: { color: 'red', code: '9876' } } }, registry) ?? '';
    assert.ok(!text.includes('1234') && !text.includes('9876'), text);
    assert.match(text, /"title":"Boss"/);
    assert.match(text, /"color":"red"/);
    assert.match(redactBody({ pin: '1234' }) ?? '', /1234/, 'without the extension, "pin" is no secret');
  });

  it('hides a filter that compares a secret, in a URL or a /.search body', () => {
    assert.equal(redactQuery('/Users?filter=PassWord%20eq%20%22hunter2%22&count=5', registry), '/Users?filter=%5BREDACTED%5D&count=5');
    assert.equal(redactQuery('/Users?filter=userName%20eq%20%22a%22', registry), '/Users?filter=userName%20eq%20%22a%22');
    assert.ok(!(redactBody({ filter: 'urn:ietf:params:scim:schemas:core:2.0:User:password eq "hunter2"' }, registry) ?? '').includes('hunter2'));
  });
});

for (const engine of testEngines()) {
  describe(`provisioning log redaction on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('keeps no password sent as "Path": "PASSWORD", a URN path, a value object, in Bulk or in a filter', async () => {
      const created = await server.request('POST', '/Users', userBody('redact@example.com', { PassWord: 'Secret-1' }));
      assert.equal(created.status, 201, created.text);
      const id = String(created.body.id);
      const operations = [
        { op: 'replace', Path: 'PASSWORD', value: 'Secret-2' },
        { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:Password', value: 'Secret-3' },
        { op: 'replace', value: { 'urn:ietf:params:scim:schemas:core:2.0:User:passWORD': 'Secret-4', title: 'Boss' } },
      ];
      assert.equal((await server.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: operations })).status, 200);
      const bulk = await server.request('POST', '/Bulk', {
        schemas: [BULK],
        Operations: [{ method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH_OP], operations: [{ OP: 'replace', PATH: 'Password', VALUE: 'Secret-5' }] } }],
      });
      assert.equal(bulk.status, 200, bulk.text);
      const refused = await server.request('GET', `/Users?filter=${encodeURIComponent('password eq "Secret-6"')}`);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.scimType, 'invalidFilter');

      await flushProvisioningLog(server);
      const api = await adminClient(server);
      const log = await api('GET', `/tenants/${server.tenantId}/provisioning-log`);
      assert.equal(log.status, 200);
      const text = JSON.stringify(log.body);
      for (const n of [1, 2, 3, 4, 5, 6]) assert.ok(!text.includes(`Secret-${n}`), `Secret-${n} is not in the log`);
      assert.match(text, /Boss/);
    });
  });
}
