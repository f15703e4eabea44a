// Request limits: body size, JSON nesting and prototype keys, filter length and
// depth, page size, Bulk size, and the per-token and per-tenant rate limit, each set through
// buildApp's options as `roster serve` sets them from the environment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadLimits } from '../../src/config-limits.js';
import { DEFAULT_LIMITS } from '../../src/limits.js';
import { jsonNestingExceeds } from '../../src/http/json-depth.js';
import { MemoryRateCounters, RateLimiter } from '../../src/service/rate-limiter.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { createServices } from '../../src/service/services.js';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import type { PostgresRateCounterStore } from '../../src/store/sql/postgres/postgres-rate-counters.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';
import { assertScimError, startServer, userBody, USER_SCHEMA, type TestServer } from '../support/scim-client.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** `depth` levels of arrays around a number: `[[[1]]]` is depth 3. */
function nested(depth: number): string {
  return '['.repeat(depth) + '1' + ']'.repeat(depth);
}

/** A filter of `depth` parenthesised levels: depth 1 is a bare comparison. */
function deepFilter(depth: number): string {
  return '('.repeat(depth - 1) + 'userName eq "a"' + ')'.repeat(depth - 1);
}

describe('limit configuration', () => {
  it('reads every limit from the environment and has the documented defaults', () => {
    assert.deepEqual(loadLimits({}), DEFAULT_LIMITS);
    const limits = loadLimits({
      ROSTER_BODY_LIMIT: '2048',
      ROSTER_JSON_MAX_DEPTH: '10',
      ROSTER_FILTER_MAX_LENGTH: '100',
      ROSTER_FILTER_MAX_DEPTH: '3',
      ROSTER_PAGE_SIZE: '5',
      ROSTER_MAX_PAGE_SIZE: '20',
      ROSTER_BULK_MAX_OPERATIONS: '7',
      ROSTER_BULK_MAX_PAYLOAD_SIZE: '4096',
      ROSTER_RATE_LIMIT_WINDOW: '60',
      ROSTER_RATE_LIMIT_PER_TOKEN: '0',
      ROSTER_RATE_LIMIT_PER_TENANT: '50',
      ROSTER_FILTER_MAX_COST: '9',
      ROSTER_LIST_DEADLINE_MS: '2000',
      ROSTER_LIST_CONCURRENCY_PER_TENANT: '3',
      ROSTER_PATCH_MAX_OPERATIONS: '10',
      ROSTER_MAX_VALUES_PER_ATTRIBUTE: '5',
      ROSTER_MAX_INDEXED_STRING_LENGTH: '64',
      ROSTER_MAX_RESOURCE_SIZE: '4096',
    });
    assert.deepEqual(limits, {
      bodyLimit: 2048,
      jsonMaxDepth: 10,
      filter: { maxLength: 100, maxDepth: 3, maxCost: 9 },
      pageSize: { default: 5, max: 20 },
      bulk: { maxOperations: 7, maxPayloadSize: 4096 },
      rateLimit: { windowSeconds: 60, perToken: 0, perTenant: 50 },
      list: { deadlineMs: 2000, concurrencyPerTenant: 3 },
      resource: { patchOperations: 10, valuesPerAttribute: 5, indexedStringLength: 64, resourceBytes: 4096 },
    });
  });

  it('refuses out-of-range values with a message naming the variable', () => {
    for (const [name, value] of [
      ['ROSTER_BODY_LIMIT', '-1'],
      ['ROSTER_JSON_MAX_DEPTH', '1.5'],
      ['ROSTER_FILTER_MAX_LENGTH', 'lots'],
      ['ROSTER_RATE_LIMIT_WINDOW', '0'],
      ['ROSTER_MAX_INDEXED_STRING_LENGTH', '5000'],
      ['ROSTER_LIST_CONCURRENCY_PER_TENANT', '0'],
    ] as const) {
      assert.throws(() => loadLimits({ [name]: value }), new RegExp(`Invalid ${name} "${value}"`));
    }
    assert.throws(() => loadLimits({ ROSTER_PAGE_SIZE: '50', ROSTER_MAX_PAGE_SIZE: '20' }), /ROSTER_PAGE_SIZE/);
  });

  it('measures JSON nesting outside strings only', () => {
    assert.equal(jsonNestingExceeds(nested(32), 32), false);
    assert.equal(jsonNestingExceeds(nested(33), 32), true);
    assert.equal(jsonNestingExceeds(JSON.stringify({ a: '[[[[[[[[[[', b: '\\"[[[[[[[[' }), 3), false);
    assert.equal(jsonNestingExceeds('{"a":{"b":{"c":[1]}}}', 3), true);
  });

  it('counts a fixed window per key and names the limit that was spent', async () => {
    let clock = 1_000_000;
    const limiter = new RateLimiter({ windowSeconds: 10, perToken: 2, perTenant: 3 }, new MemoryRateCounters(() => clock));
    assert.deepEqual(await limiter.hit('t1', 'a'), { allowed: true });
    assert.deepEqual(await limiter.hit('t1', 'a'), { allowed: true });
    assert.deepEqual(await limiter.hit('t1', 'a'), { allowed: false, scope: 'token', limit: 2, windowSeconds: 10, retryAfterSeconds: 10 });
    clock += 4_500;
    const tenant = await limiter.hit('t1', 'b');
    assert.deepEqual(tenant, { allowed: false, scope: 'tenant', limit: 3, windowSeconds: 10, retryAfterSeconds: 6 });
    assert.deepEqual(await limiter.hit('t2', 'c'), { allowed: true }, 'another tenant has its own counter');
    clock += 6_000;
    assert.deepEqual(await limiter.hit('t1', 'a'), { allowed: true }, 'a new window starts from zero');
  });
});

for (const engine of testEngines()) {
  describe(`request limits on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine, {
        bodyLimit: 4096,
        jsonMaxDepth: 12,
        filter: { maxLength: 200, maxDepth: 4 },
        pageSize: { default: 3, max: 5 },
        bulk: { maxOperations: 2, maxPayloadSize: 3000 },
      });
      for (let i = 0; i < 7; i += 1) await server.request('POST', '/Users', userBody(`user${i}@example.com`));
    });
    after(() => server.close());

    it('answers a body over the limit with 413 and a SCIM error', async () => {
      const big = userBody('big@example.com', { title: 'x'.repeat(5000) });
      assertScimError(await server.request('POST', '/Users', big), 413);
      assertScimError(await server.request('PUT', '/Users/anything', big), 413);
      // The bulk limit is its own: a body under bodyLimit but over maxPayloadSize.
      const bulk = { schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: userBody('a@example.com', { title: 'y'.repeat(3200) }) }] };
      const response = await server.request('POST', '/Bulk', bulk);
      assertScimError(response, 413);
      assert.match(String(response.body.detail), /maxPayloadSize/);
    });

    it('refuses JSON nested deeper than the limit with 400 invalidSyntax, also far deeper than the stack', async () => {
      const ok = await server.request('POST', '/Users', `{"schemas":["${USER_SCHEMA}"],"userName":"nest-ok@example.com","x":${nested(10)}}`);
      assert.equal(ok.status, 201, ok.text);
      const deep = await server.request('POST', '/Users', `{"schemas":["${USER_SCHEMA}"],"userName":"nest@example.com","x":${nested(12)}}`);
      assertScimError(deep, 400, 'invalidSyntax');
      assert.match(String(deep.body.detail), /deeper than 12/);
      // 1,000,000 brackets would reach the body limit first; the nesting check runs on what fits.
      const response = await server.app.inject({
        method: 'POST',
        url: `${server.base}/Users`,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/scim+json' },
        payload: nested(2000),
      });
      assert.equal(response.statusCode, 400);
      assert.equal((JSON.parse(response.body) as { scimType?: string }).scimType, 'invalidSyntax');
    });

    it('refuses __proto__ and constructor.prototype keys anywhere in a SCIM body', async () => {
      for (const body of [
        `{"schemas":["${USER_SCHEMA}"],"userName":"p@example.com","__proto__":{"admin":true}}`,
        `{"schemas":["${USER_SCHEMA}"],"userName":"p@example.com","name":{"__proto__":{"x":1}}}`,
        `{"schemas":["${USER_SCHEMA}"],"userName":"p@example.com","constructor":{"prototype":{"x":1}}}`,
      ]) {
        assertScimError(await server.request('POST', '/Users', body), 400, 'invalidSyntax');
      }
      assert.equal(({} as Record<string, unknown>).admin, undefined);
    });

    it('applies the nesting and prototype checks to the management API too', async () => {
      const key = (await server.services.operatorKeys.create('limits')).secret;
      const post = (payload: string) =>
        server.app.inject({ method: 'POST', url: '/api/v1/tenants', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload });
      const deep = await post(`{"name":"x","extra":${nested(40)}}`);
      assert.equal(deep.statusCode, 400, deep.body);
      assert.match(deep.body, /deeper than 12/);
      for (const payload of ['{"name":"x","__proto__":{"admin":true}}', '{"name":"x","constructor":{"prototype":{"admin":true}}}']) {
        const refused = await post(payload);
        assert.equal(refused.statusCode, 400, refused.body);
        assert.equal((JSON.parse(refused.body) as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
      }
      assert.equal((await post('{"name":"fine"}')).statusCode, 201);
    });

    it('refuses a filter longer or deeper than configured, on GET and on /.search', async () => {
      const long = `userName eq "${'a'.repeat(200)}"`;
      assertScimError(await server.request('GET', `/Users?filter=${encodeURIComponent(long)}`), 400, 'invalidFilter');
      assertScimError(await server.request('POST', '/Users/.search', { schemas: [SEARCH], filter: long }), 400, 'invalidFilter');
      assertScimError(await server.request('POST', '/.search', { schemas: [SEARCH], filter: long }), 400, 'invalidFilter');
      assert.equal((await server.request('GET', `/Users?filter=${encodeURIComponent(deepFilter(4))}`)).status, 200);
      const deep = await server.request('GET', `/Users?filter=${encodeURIComponent(deepFilter(5))}`);
      assertScimError(deep, 400, 'invalidFilter');
      assert.match(String(deep.body.detail), /depth|nest/i);
    });

    it('caps the page size and uses the configured default', async () => {
      const unnamed = await server.request('GET', '/Users');
      assert.equal(unnamed.body.itemsPerPage, 3);
      const huge = await server.request('GET', '/Users?count=100000');
      assert.equal(huge.body.itemsPerPage, 5);
      assert.equal((huge.body.Resources as unknown[]).length, 5);
      assertScimError(await server.request('GET', '/Users?count=6&cursor='), 400, 'invalidCount');
      const config = await server.request('GET', '/ServiceProviderConfig');
      assert.equal((config.body.filter as { maxResults: number }).maxResults, 5);
    });

    it('answers URLs Fastify cannot route in the API\'s own error format, without echoing them', async () => {
      const bad = await server.request('GET', `${server.base}/Users/%zz?token=rst_secretsecretsecretsecretsecret`);
      assertScimError(bad, 400);
      assert.doesNotMatch(bad.text, /secret/);
      assertScimError(await server.request('GET', `${server.base}/Users/${'a'.repeat(1200)}`), 404);
      assertScimError(await server.request('GET', `${server.base}/Users/${'a'.repeat(600)}`), 404);
      const api = await server.app.inject({ method: 'GET', url: '/api/v1/tenants/%zz' });
      assert.equal(api.statusCode, 400);
      assert.equal((JSON.parse(api.body) as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
    });

    it('refuses a Bulk request with more operations than maxOperations with 413', async () => {
      const op = (i: number) => ({ method: 'POST', path: '/Users', bulkId: `b${i}`, data: userBody(`bulk${i}@example.com`) });
      const response = await server.request('POST', '/Bulk', { schemas: [BULK], Operations: [op(1), op(2), op(3)] });
      assertScimError(response, 413);
      assert.match(String(response.body.detail), /maxOperations/);
    });

    it('accepts a longer filter when the limit is raised above the parser default', async () => {
      const roomy = await startServer(engine, { filter: { maxLength: 20_000, maxDepth: 64, maxCost: 200 } });
      try {
        const long = Array.from({ length: 130 }, (_, i) => `userName eq "u${i}@example.com"`).join(' or ');
        assert.ok(long.length > 4096);
        assert.equal((await roomy.request('GET', `/Users?filter=${encodeURIComponent(long)}`)).status, 200);
        assert.equal((await roomy.request('GET', `/Users?filter=${encodeURIComponent(deepFilter(40))}`)).status, 200);
      } finally {
        await roomy.close();
      }
    });
  });

  describe(`the default limits on ${engine.name}`, () => {
    it('are DEFAULT_LIMITS when buildApp is given none: advertised and enforced', async () => {
      const server = await startServer(engine);
      try {
        const d = DEFAULT_LIMITS;
        const config = await server.request('GET', '/ServiceProviderConfig');
        assert.deepEqual(config.body.bulk, { supported: true, maxOperations: d.bulk.maxOperations, maxPayloadSize: d.bulk.maxPayloadSize });
        assert.equal((config.body.filter as { maxResults: number }).maxResults, d.pageSize.max);
        const pagination = config.body.pagination as { defaultPageSize: number; maxPageSize: number };
        assert.deepEqual([pagination.defaultPageSize, pagination.maxPageSize], [d.pageSize.default, d.pageSize.max]);
        const atLength = `userName eq "${'a'.repeat(d.filter.maxLength - 'userName eq ""'.length)}"`;
        assert.equal((await server.request('POST', '/Users/.search', { schemas: [SEARCH], filter: atLength })).status, 200);
        assertScimError(await server.request('POST', '/Users/.search', { schemas: [SEARCH], filter: `${atLength} ` }), 400, 'invalidFilter');
        assert.equal((await server.request('GET', `/Users?filter=${encodeURIComponent(deepFilter(d.filter.maxDepth))}`)).status, 200);
        assertScimError(await server.request('GET', `/Users?filter=${encodeURIComponent(deepFilter(d.filter.maxDepth + 1))}`), 400, 'invalidFilter');
        const deep = await server.request('POST', '/Users', `{"schemas":["${USER_SCHEMA}"],"userName":"deep@example.com","x":${nested(d.jsonMaxDepth)}}`);
        assertScimError(deep, 400, 'invalidSyntax');
        assert.match(String(deep.body.detail), new RegExp(`deeper than ${d.jsonMaxDepth}`));
        assertScimError(await server.request('POST', '/Users', userBody('big@example.com', { title: 'x'.repeat(d.bodyLimit) })), 413);
      } finally {
        await server.close();
      }
    });
  });

  describe(`rate limits on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine, { rateLimit: { windowSeconds: 60, perToken: 4, perTenant: 6 } });
    });
    after(() => server.close());

    it('answers 429 with Retry-After and a SCIM error once a token has spent its window, and per tenant across tokens', async () => {
      const second = await server.services.tokens.issue(server.tenantId, { name: 'second' });
      const other = await server.addTenant('Unrelated');
      for (let i = 0; i < 4; i += 1) assert.equal((await server.request('GET', '/Users')).status, 200);
      const refused = await server.request('GET', '/Users');
      assertScimError(refused, 429);
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${String(refused.headers['retry-after'])}`);
      assert.match(String(refused.body.detail), /this token may make 4 requests per 60 s/);
      // The tenant has counted 5 so far; its other token gets one more before the tenant limit.
      const asSecond = (path: string) => server.request('GET', path, undefined, { authorization: `Bearer ${second.secret}` });
      assert.equal((await asSecond('/Users')).status, 200);
      const tenantRefused = await asSecond('/Users');
      assertScimError(tenantRefused, 429);
      assert.match(String(tenantRefused.body.detail), /this tenant's tokens together/);
      // Writes are refused too, and nothing is written.
      assertScimError(await server.request('POST', '/Users', userBody('late@example.com')), 429);
      // Another tenant is untouched; both URL forms count the same tenant.
      const asOther = await server.request('GET', `/scim/v2/${other.tenantId}/Users`, undefined, { authorization: `Bearer ${other.token}` });
      assert.equal(asOther.status, 200);
      assertScimError(await server.request('GET', '/scim/v2/Users'), 429);
      // An unauthenticated request is still a 401, not a 429: it names no token to count.
      const anonymous = await server.app.inject({ method: 'GET', url: `${server.base}/Users` });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(await server.store.read.users.findByUserName(server.tenantId, 'late@example.com'), undefined, 'the refused create wrote nothing');
    });
  });
}

const postgres = testEngines().some((engine) => engine.name === 'postgres');

describe('rate limits shared by two Roster processes on one PostgreSQL database', { skip: postgres ? false : 'PostgreSQL is not available' }, () => {
  it('counts the requests of both against one limit', async () => {
    const databaseUrl = await createTestDatabase();
    const stores = [openPostgresStore({ connectionString: databaseUrl, poolSize: 2 }), openPostgresStore({ connectionString: databaseUrl, poolSize: 2 })];
    const apps: FastifyInstance[] = [];
    try {
      for (const store of stores) await store.migrate();
      for (const store of stores) apps.push(await buildApp({ services: createServices(store), rateLimit: { windowSeconds: 60, perToken: 10, perTenant: 0 } }));
      const services = createServices(stores[0]!);
      const tenant = await services.tenants.create('Shared');
      const { secret } = await services.tokens.issue(tenant.id, { name: 'idp' });
      const call = (index: number) =>
        apps[index % 2]!.inject({ method: 'GET', url: `/scim/v2/${tenant.id}/Users`, headers: { authorization: `Bearer ${secret}` } });
      // 10 at once, spread over both processes: each counts its own in memory.
      const first = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i)));
      assert.deepEqual(first.map((r) => r.statusCode), Array(10).fill(200));
      const counters = stores.map((store) => store.rateCounters as PostgresRateCounterStore);
      // Nothing is written per request: the shared table learns of the hits at a flush.
      assert.deepEqual(await sharedHits(databaseUrl), []);
      // Each flush adds a process's hits and reads back everyone's: the second sees all 10.
      await counters[0]!.flush();
      await counters[1]!.flush();
      assert.deepEqual(await sharedHits(databaseUrl), [10]);
      const refused = await call(1);
      assert.equal(refused.statusCode, 429, 'process 1');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      // Process 0 flushed before process 1's hits were written: it sees them one flush late
      // (the documented accuracy), then refuses too.
      assert.equal((await call(0)).statusCode, 200);
      await counters[0]!.flush();
      assert.equal((await call(0)).statusCode, 429, 'process 0');
    } finally {
      for (const app of apps) await app.close();
      for (const store of stores) await store.close();
    }
  });
});

/** The hits the shared `rate_limits` table holds, per key. */
async function sharedHits(databaseUrl: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ hits: number }>('select hits from rate_limits order by key');
    return rows.map((row) => Number(row.hits));
  } finally {
    await client.end();
  }
}
