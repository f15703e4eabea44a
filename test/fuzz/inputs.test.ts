// Fuzzing the running server with random and mutated filters, PATCH operations,
// resource bodies, headers and URLs: whatever arrives, Roster answers without a 5xx, every
// error is a valid SCIM error, and a refused PATCH leaves the resource as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA, type TestServer } from '../support/scim-client.js';
import { assertScimAnswer, fuzzParameters, LONG_RUN, send } from './fuzz-support.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const timeout = LONG_RUN ? Infinity : 120_000;

// ---- filters -------------------------------------------------------------------------------

const ATTRIBUTES = [
  'userName', 'USERNAME', 'name.givenName', 'name', 'emails', 'emails.value', 'emails[type eq "work"]', 'emails[type eq "work"].value',
  'active', 'title', 'meta.created', 'meta.lastModified', 'id', 'externalId', 'groups', 'groups.value', 'members', 'members.value',
  'displayName', `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`, `${USER_SCHEMA}:userName`, 'schemas', 'nope', 'name.nope', 'x.y.z', '$ref', '',
];
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Sw', 'pr', 'like', '=='];
const LITERALS = [
  '"a"', '""', '"Ada@Example.com"', '"\\"quoted\\""', '"\\u00e9"', '"😀"', '"%_\\\\"', 'true', 'false', 'null', '42', '-1.5e3', '1e999',
  '"2020-01-01T00:00:00Z"', '"2021-02-30T00:00:00Z"', '"not-a-date"', '"unterminated', "'single'", 'bare', '[]', '{}',
];
const PUNCTUATION = ['(', ')', '[', ']', ' and ', ' or ', 'not ', ' ', '"', '\\', '.', ':', ',', '\u0000', '\u200b'];

const comparison = fc
  .tuple(fc.constantFrom(...ATTRIBUTES), fc.constantFrom(...OPERATORS), fc.constantFrom(...LITERALS))
  .map(([attribute, operator, literal]) => (operator === 'pr' ? `${attribute} pr` : `${attribute} ${operator} ${literal}`));

/** Filters built from the grammar's pieces, valid or nearly so. */
const grammarFilter: fc.Arbitrary<string> = fc.letrec<{ filter: string }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('filter'), fc.constantFrom(' and ', ' or ', ' AND ', ' Or '), tie('filter')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('filter').map((inner) => `(${inner})`),
    tie('filter').map((inner) => `not (${inner})`),
    fc.tuple(fc.constantFrom('emails', 'members', 'addresses', 'groups', 'name'), tie('filter')).map(([attribute, inner]) => `${attribute}[${inner}]`),
  ),
})).filter;

/** A filter with a few characters deleted, inserted or swapped. */
const mutatedFilter = fc
  .tuple(grammarFilter, fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'swap'), fc.constantFrom(...PUNCTUATION)), { maxLength: 4 }))
  .map(([text, mutations]) => {
    let out = text;
    for (const [position, kind, piece] of mutations) {
      const at = out.length === 0 ? 0 : position % out.length;
      if (kind === 'delete') out = out.slice(0, at) + out.slice(at + 1);
      else if (kind === 'insert') out = out.slice(0, at) + piece + out.slice(at);
      else out = out.slice(0, at) + (out[at + 1] ?? '') + (out[at] ?? '') + out.slice(at + 2);
    }
    return out;
  });

/** The text with lone surrogates replaced by U+FFFD (String#toWellFormed, which ES2023 lacks). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const anyFilter = fc.oneof(grammarFilter, mutatedFilter, fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }));

// ---- PATCH ---------------------------------------------------------------------------------

const PATCH_PATHS = [
  'title', 'active', 'userName', 'displayName', 'name', 'name.givenName', 'name.familyName', 'emails', 'emails[type eq "work"]',
  'emails[type eq "work"].value', 'emails[value co "@"].primary', 'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].locality',
  'members', 'members[value eq "x"]', 'members[value eq "00000000-0000-4000-8000-000000000000"]', `${ENTERPRISE}:department`, `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:manager.value`, `${USER_SCHEMA}:title`, 'id', 'meta.created', 'schemas', 'groups', 'externalId', 'password', 'nope', 'emails[',
  'emails[type eq]', 'name..givenName', '', ' ', 'a.b.c.d', '[value eq "x"]',
];

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const patchValue = fc.oneof(
  fc.constantFrom<unknown>('x', 'False', 'TRUE', true, false, 0, -1, null, '', [], {}, [{ value: 'v@x.example', type: 'work', primary: true }], { givenName: 'Ada' }, { active: false }, { title: 'T', 'name.givenName': 'G' }),
  jsonValue,
);
const operation = fc.record(
  {
    op: fc.constantFrom('add', 'remove', 'replace', 'Add', 'Remove', 'Replace', 'REPLACE', 'move', 'copy', '', 'x'),
    path: fc.oneof(fc.constantFrom(...PATCH_PATHS), mutatedFilter, fc.string({ maxLength: 20 })),
    value: patchValue,
  },
  { requiredKeys: ['op'] },
);
const patchBody = fc.oneof(
  { weight: 8, arbitrary: fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.array(operation, { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ schemas: fc.constantFrom<unknown>([PATCH_OP], [], 'x', null, [USER_SCHEMA]), Operations: fc.oneof(fc.array(operation, { maxLength: 2 }), jsonValue) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: jsonValue },
);

// ---- resource bodies -----------------------------------------------------------------------

const ATTRIBUTE_KEYS = [
  'schemas', 'userName', 'name', 'displayName', 'emails', 'phoneNumbers', 'addresses', 'active', 'title', 'externalId', 'id', 'meta',
  'members', 'groups', 'password', 'preferredLanguage', 'locale', 'timezone', ENTERPRISE, 'UserName', 'unknownAttribute', 'urn:x:nope',
];
const resourceBody = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...ATTRIBUTE_KEYS), patchValue, { maxKeys: 8 }) },
  {
    weight: 3,
    arbitrary: fc.record({ schemas: fc.constant([USER_SCHEMA, ENTERPRISE]), userName: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 10 }), fc.constant(''), jsonValue) }).chain((base) =>
      fc.dictionary(fc.constantFrom(...ATTRIBUTE_KEYS), patchValue, { maxKeys: 4 }).map((extra) => ({ ...extra, ...base })),
    ),
  },
  { weight: 1, arbitrary: jsonValue },
);

// ---- URLs and headers ----------------------------------------------------------------------

const SEGMENTS = [
  'Users', 'Groups', 'users', 'Me', 'Bulk', '.search', 'Schemas', 'ResourceTypes', 'ServiceProviderConfig', 'v2', '..', '%2e%2e', '%2F', '%00',
  '%', '%zz', '😀', '%F0%9F%98%80', ' ', '%20', 'a'.repeat(300), '00000000-0000-4000-8000-000000000000', 'urn:ietf:params:scim:schemas:core:2.0:User', '', ';', '*',
];
const QUERY_KEYS = ['filter', 'count', 'startIndex', 'attributes', 'excludedAttributes', 'sortBy', 'sortOrder', 'cursor', 'x', 'filter[]', '__proto__', 'constructor'];
const QUERY_VALUES = ['', '-1', '0', '1', '99999999999999999999', 'abc', 'userName', 'emails.value,name', 'members', 'descending', 'n.abc', 'p.', '%', '%25', 'userName eq "a"', '1e3', '[]'];
const query = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.string({ maxLength: 8 }))), { maxLength: 4 })
  .map((pairs) => pairs.map(([key, value]) => `${key}=${/%/.test(value) ? value : encodeURIComponent(value)}`).join('&'));
const CONTENT_TYPES = ['application/scim+json', 'application/json', 'application/scim+json; charset=utf-8', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '', 'garbage'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

for (const engine of testEngines()) {
  describe(`fuzzing the SCIM API on ${engine.name}`, () => {
    let server: TestServer;
    let userId: string;
    let groupId: string;
    before(async () => {
      server = await startServer(engine);
      const user = await server.request('POST', '/Users', userBody('fuzz@example.com', { title: 'Base', [ENTERPRISE]: { department: 'R&D' } }));
      userId = String(user.body.id);
      const group = await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Fuzzers', members: [{ value: userId }] });
      groupId = String(group.body.id);
    });
    after(() => server.close());

    const scim = (method: (typeof METHODS)[number], path: string, payload?: unknown, headers: Record<string, string> = {}) =>
      send(server.app, {
        method,
        url: `${server.base}${path}`,
        headers: { authorization: `Bearer ${server.token}`, ...(payload === undefined ? {} : { 'content-type': 'application/scim+json' }), ...headers },
        ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
      });

    it('answers any filter with 200 or a SCIM error, on GET and on /.search', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(anyFilter, fc.constantFrom('/Users', '/Groups', ''), async (filter, endpoint) => {
          if (endpoint !== '') {
            // A lone surrogate (a mutation can split a pair) cannot travel in a URL; the body below still sends it.
            const reply = await scim('GET', `${endpoint}?filter=${encodeURIComponent(wellFormed(filter))}`);
            assertScimAnswer(reply, `GET ${endpoint}?filter=${filter}`);
            assert.ok(reply.status === 200 || reply.status === 400, `GET ${endpoint}?filter=${filter} → ${reply.status}`);
          }
          const searched = await scim('POST', `${endpoint}/.search`, { schemas: [SEARCH], filter });
          assertScimAnswer(searched, `POST ${endpoint}/.search ${filter}`);
        }),
        fuzzParameters(60),
      );
    });

    it('answers any PATCH with a success or a SCIM error, and a refused PATCH changes nothing', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(patchBody, fc.boolean(), async (body, onGroup) => {
          const path = onGroup ? `/Groups/${groupId}` : `/Users/${userId}`;
          const before = await scim('GET', path);
          const reply = await scim('PATCH', path, body);
          assertScimAnswer(reply, `PATCH ${path} ${JSON.stringify(body)}`);
          if (reply.status >= 400) {
            const afterwards = await scim('GET', path);
            assert.equal(afterwards.text, before.text, `a refused PATCH (${reply.status}) changed ${path}: ${JSON.stringify(body)}`);
          }
          // Keep the resources alive for the next run: a PATCH may have made the user unusable.
          if (reply.status < 300 && !onGroup) {
            const reset = await scim('PUT', path, userBody('fuzz@example.com', { title: 'Base', [ENTERPRISE]: { department: 'R&D' } }));
            assert.equal(reset.status, 200, reset.text);
          }
        }),
        fuzzParameters(60),
      );
    });

    it('answers any resource body on POST and PUT with a success or a SCIM error', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(resourceBody, fc.constantFrom('POST /Users', 'POST /Groups', 'PUT /Users', 'PUT /Groups', 'POST /Bulk'), async (body, target) => {
          let reply;
          if (target === 'POST /Bulk') {
            reply = await scim('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: body }, { method: 'PATCH', path: `/Groups/${groupId}`, data: body }] });
          } else {
            const [method, endpoint] = target.split(' ') as ['POST' | 'PUT', string];
            const path = method === 'POST' ? endpoint : `${endpoint}/${endpoint === '/Users' ? userId : groupId}`;
            reply = await scim(method, path, body);
          }
          assertScimAnswer(reply, `${target} ${JSON.stringify(body)}`);
          if (reply.status === 201) {
            const created = JSON.parse(reply.text) as { id: string; meta?: { resourceType?: string } };
            await scim('DELETE', `/${created.meta?.resourceType === 'Group' ? 'Groups' : 'Users'}/${created.id}`);
          }
          if (target.startsWith('PUT') && reply.status < 300) {
            const reset = target === 'PUT /Users'
              ? await scim('PUT', `/Users/${userId}`, userBody('fuzz@example.com', { title: 'Base' }))
              : await scim('PUT', `/Groups/${groupId}`, { schemas: [GROUP_SCHEMA], displayName: 'Fuzzers', members: [{ value: userId }] });
            assert.equal(reset.status, 200, reset.text);
          }
        }),
        fuzzParameters(60),
      );
    });

    it('answers any method, URL, query and headers under /scim/v2 with a SCIM answer', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...METHODS),
          fc.array(fc.oneof(fc.constantFrom(...SEGMENTS), fc.string({ maxLength: 6 }).map(encodeURIComponent)), { minLength: 0, maxLength: 3 }),
          query,
          fc.record(
            {
              'content-type': fc.constantFrom(...CONTENT_TYPES),
              accept: fc.constantFrom('application/scim+json', 'application/json', 'text/html', '*/*', 'application/xml'),
              'if-match': fc.constantFrom('W/"1"', '*', '"x"', 'garbage', ''),
              'if-none-match': fc.constantFrom('W/"1"', '*', ''),
              authorization: fc.constantFrom('valid', 'Bearer', 'Bearer rst_', 'Basic abc', 'bearer  valid', `Bearer ${'x'.repeat(500)}`),
            },
            { requiredKeys: ['authorization'] },
          ),
          fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 }), resourceBody.map((body) => JSON.stringify(body))),
          fc.boolean(),
          async (method, segments, queryString, headers, payload, tenantForm) => {
            const path = segments.join('/');
            const url = `${tenantForm ? server.base : '/scim/v2'}/${path}${queryString === '' ? '' : `?${queryString}`}`;
            const authorization = headers.authorization.replace('valid', server.token);
            const reply = await send(server.app, {
              method,
              url,
              headers: { ...headers, authorization },
              ...(payload === undefined || method === 'GET' || method === 'HEAD' ? {} : { payload }),
            });
            // Dot segments resolve as an HTTP client resolves them: `/scim/v2/../x` is not SCIM.
            const resolved = new URL(url, 'http://roster.test').pathname;
            if (method === 'HEAD' || method === 'OPTIONS' || !resolved.startsWith('/scim/v2')) {
              // HEAD answers as GET does without a body: /Me is 501 Not Implemented for both (RFC 7644 §3.11).
              const notImplemented = reply.status === 501 && /\/Me$/.test(resolved);
              assert.ok(reply.status < 500 || notImplemented, `${method} ${url} → ${reply.status}`);
              return;
            }
            assertScimAnswer(reply, `${method} ${url} ${JSON.stringify(headers)}`);
          },
        ),
        fuzzParameters(150),
      );
    });
  });
}
