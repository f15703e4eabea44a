// Tenant isolation over every registered route. Tenant A ("victim") holds data;
// tenant B ("intruder") calls every route of the SCIM API, the management API and the
// console with everything B legitimately holds: its SCIM token, its setup link's secret and
// the console session that link opens. Each call must be refused (401, 403 for operator-only
// routes, 404 for A's resources) or answer with B's own data, and no response may contain
// anything of A's. Afterwards A's data reads exactly as before. The routes come from
// buildApp's onRoute hook, so a new route is in the matrix the moment it exists; a route no
// rule classifies fails the test. (test/http/auth.test.ts covers the SCIM 401s in detail.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, USER_SCHEMA, GROUP_SCHEMA, type TestServer } from '../support/scim-client.js';
import { classify, fillUrl, parametersOf, routeCollector, type MatrixRoute } from './route-matrix.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface Victim {
  readonly tenantId: string;
  readonly userId: string;
  readonly groupId: string;
  readonly tokenId: string;
  readonly linkId: string;
  readonly webhookId: string;
  /** Strings only A's data contains; none may appear in a response to B. */
  readonly markers: readonly string[];
}

interface Intruder {
  readonly tenantId: string;
  readonly token: string;
  readonly linkSecret: string;
  readonly sessionSecret: string;
  readonly csrf: string;
  readonly userId: string;
  readonly groupId: string;
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** A SCIM body that passes parsing for the route, so that only authorization can refuse it. */
function scimBody(method: string, url: string): unknown {
  if (method === 'GET' || method === 'DELETE' || method === 'HEAD') return undefined;
  if (url.endsWith('/.search')) return { schemas: [SEARCH], filter: 'userName pr' };
  if (url.endsWith('/Bulk')) return { schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', bulkId: 'x', data: userBody('bulk-intruder@intruder.example') }] };
  if (method === 'PATCH') return { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: url.includes('/Groups') ? 'displayName' : 'title', value: 'Pwned' }] };
  if (url.includes('/Groups')) return { schemas: [GROUP_SCHEMA], displayName: 'Intruder Group' };
  return userBody('intruder@intruder.example');
}

/** An id no tenant has. */
const FAKE_ID = '00000000-0000-4000-8000-0000000000ff';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A response body with every id made alike, to compare answers about different ids. */
function normalise(body: string): string {
  return body
    .replace(UUID, '<id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/W\/\\?"\d+\\?"/g, '<etag>');
}

function sameOrigin(): Record<string, string> {
  return { origin: 'https://roster.test', 'sec-fetch-site': 'same-origin' };
}

for (const engine of testEngines()) {
  describe(`tenant isolation over every route on ${engine.name}`, () => {
    const collector = routeCollector();
    let server: TestServer;
    let operatorKey: string;
    let victim: Victim;
    let intruder: Intruder;
    let routes: MatrixRoute[];

    before(async () => {
      server = await startServer(engine, { onRoute: collector.onRoute });
      await server.app.ready();
      const { services } = server;
      operatorKey = (await services.operatorKeys.create('isolation')).secret;
      // A: the test server's tenant, renamed so that its name is a marker too.
      await services.tenants.rename(server.tenantId, 'Victim Tenant Marker');
      const user = await server.request('POST', '/Users', userBody('victim.marker@victim.example', { displayName: 'Victim Marker Person', externalId: 'victim-ext-marker' }));
      assert.equal(user.status, 201, user.text);
      const userId = String(user.body.id);
      const group = await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Victim Marker Group', members: [{ value: userId }] });
      assert.equal(group.status, 201, group.text);
      const token = await services.tokens.issue(server.tenantId, { name: 'victim-token-marker' });
      const link = await services.setupLinks.create(server.tenantId, { note: 'victim-link-marker' });
      const webhook = await services.webhooks.create({ url: 'https://victim-hook-marker.example/events', tenantId: server.tenantId, description: 'victim-webhook-marker' });
      victim = {
        tenantId: server.tenantId,
        userId,
        groupId: String(group.body.id),
        tokenId: token.token.id,
        linkId: link.link.id,
        webhookId: webhook.endpoint.id,
        markers: [
          userId,
          String(group.body.id),
          token.token.id,
          link.link.id,
          webhook.endpoint.id,
          'victim.marker@victim.example',
          'Victim Marker Person',
          'victim-ext-marker',
          'Victim Marker Group',
          'Victim Tenant Marker',
          'victim-token-marker',
          'victim-link-marker',
          'victim-hook-marker',
          'victim-webhook-marker',
          server.token,
          token.secret,
          link.secret,
          webhook.secret,
        ],
      };
      // B, with everything a tenant legitimately gets.
      const b = await server.addTenant('Intruder');
      const bLink = await services.setupLinks.create(b.tenantId);
      const session = await services.consoleSessions.openWithSetupLink(bLink.secret);
      assert.ok(session !== undefined);
      const asB = { authorization: `Bearer ${b.token}` };
      const bUser = await server.request('POST', `/scim/v2/${b.tenantId}/Users`, userBody('own@intruder.example'), asB);
      const bGroup = await server.request('POST', `/scim/v2/${b.tenantId}/Groups`, { schemas: [GROUP_SCHEMA], displayName: 'Own group' }, asB);
      intruder = {
        tenantId: b.tenantId,
        token: b.token,
        linkSecret: bLink.secret,
        sessionSecret: session.secret,
        csrf: services.consoleSessions.csrfToken(session.secret),
        userId: String(bUser.body.id),
        groupId: String(bGroup.body.id),
      };

      const unknown: string[] = [];
      routes = [];
      for (const route of collector.routes()) {
        const routeClass = classify(route.url, route.config);
        if (routeClass === undefined) unknown.push(`${route.method} ${route.url}`);
        else routes.push({ method: route.method, url: route.url, routeClass, operatorOnly: route.config.operatorOnly === true });
      }
      assert.deepEqual(unknown, [], 'routes the isolation matrix does not classify: add a rule to test/hardening/route-matrix.ts');
    });
    after(() => server.close());

    /** A's id for a path parameter; `own` gives B's tenant (B's own URL with A's ids in it). */
    const victimValue = (own: boolean) => (name: string, url: string): string => {
      switch (name) {
        case 'tenantId':
          return own ? intruder.tenantId : victim.tenantId;
        case 'id':
          if (url.includes('/Groups/')) return victim.groupId;
          if (url.includes('/ResourceTypes/')) return 'User';
          if (url.includes('/Schemas/')) return USER_SCHEMA;
          return victim.userId;
        case 'userId':
          return victim.userId;
        case 'groupId':
          return victim.groupId;
        case 'tokenId':
          return victim.tokenId;
        case 'linkId':
          return victim.linkId;
        case 'webhookId':
          return victim.webhookId;
        case 'deliveryId':
          return '00000000-0000-4000-8000-000000000000';
        case '*':
          return 'index.html';
        default:
          throw new Error(`The isolation matrix has no value for the parameter :${name} (${url}); add one.`);
      }
    };

    async function call(method: string, url: string, headers: Record<string, string>, body: unknown): Promise<Reply> {
      const response = await server.app.inject({
        method: method as InjectOptions['method'],
        url,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': url.startsWith('/scim/') ? 'application/scim+json' : 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: response.statusCode, body: response.body };
    }

    /** Fails when `reply` shows anything of A's that the request did not itself name. */
    function assertNoLeak(reply: Reply, label: string, request: string): void {
      for (const marker of victim.markers) {
        if (request.includes(marker) || request.includes(encodeURIComponent(marker))) continue;
        assert.ok(!reply.body.includes(marker), `${label} leaked "${marker}": ${reply.body.slice(0, 300)}`);
      }
    }

    /** What B holds, as request headers (session calls carry the CSRF token, so CSRF cannot be what refuses them). */
    function credentials(): { name: string; headers: (method: string) => Record<string, string> }[] {
      const unsafe = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method);
      return [
        { name: "B's SCIM token", headers: () => ({ authorization: `Bearer ${intruder.token}` }) },
        { name: "B's setup link secret", headers: () => ({ authorization: `Bearer ${intruder.linkSecret}` }) },
        {
          name: "B's console session",
          headers: (method) => ({ cookie: `roster_console=${intruder.sessionSecret}`, ...sameOrigin(), ...(unsafe(method) ? { 'x-csrf-token': intruder.csrf } : {}) }),
        },
      ];
    }

    /** A's data as an operator reads it through every GET route: the state B must not change. */
    async function victimSnapshot(): Promise<Map<string, string>> {
      const snapshot = new Map<string, string>();
      for (const route of routes) {
        if (route.method !== 'GET' || route.routeClass === 'public' || route.routeClass === 'scim-token') continue;
        // The provisioning log records every request that names A's base URL, refused ones
        // included (troubleshooting); it is checked on its own below.
        // So does the per-minute count of requests refused for want of credentials.
        if (route.url.endsWith('/provisioning-log') || route.url.endsWith('/refused-requests')) continue;
        // Without a tenant the feed is every tenant's (operators only): B's own writes are in it.
        if (route.url === '/api/v1/events') continue;
        const url = fillUrl(route.url, victimValue(false));
        const headers = route.routeClass === 'scim-tenant' ? { authorization: `Bearer ${server.token}` } : { authorization: `Bearer ${operatorKey}` };
        const reply = await call('GET', url, headers, undefined);
        // Times of last use move with every authenticated call, and the global feed's position
        // with any tenant's write; what they describe must not.
        snapshot.set(url, `${reply.status} ${reply.body.replace(/"lastUsedAt":(null|"[^"]*")/g, '').replace(/"position":"[^"]*"/g, '')}`);
      }
      return snapshot;
    }

    it('classifies every route and finds the families it expects', () => {
      const classes = new Set(routes.map((route) => route.routeClass));
      for (const expected of ['scim-tenant', 'scim-token', 'api-tenant', 'api-operator', 'public'] as const) assert.ok(classes.has(expected), `no ${expected} route registered`);
      assert.ok(routes.length > 100, `only ${routes.length} routes`);
    });

    it('resolves A\'s ids for A itself (so that the 404s below are not vacuous)', async () => {
      for (const route of routes) {
        if (route.method !== 'GET' || parametersOf(route.url).length === 0) continue;
        if (route.routeClass !== 'scim-tenant' && route.routeClass !== 'api-tenant' && route.routeClass !== 'api-operator') continue;
        if (route.url.includes(':deliveryId') || route.url.endsWith('*')) continue;
        const url = fillUrl(route.url, victimValue(false));
        const headers = route.routeClass === 'scim-tenant' ? { authorization: `Bearer ${server.token}` } : { authorization: `Bearer ${operatorKey}` };
        const reply = await call('GET', url, headers, undefined);
        // 405 (GET /Users/.search) and 501 (/Me): answered before any lookup.
        if (reply.status === 405 || reply.status === 501) continue;
        assert.equal(reply.status, 200, `GET ${url} as A: ${reply.body.slice(0, 200)}`);
      }
    });

    it('refuses B on every route that names A, answers B only with B\'s data, and leaves A unchanged', async () => {
      const before = await victimSnapshot();
      const failures: string[] = [];
      let checked = 0;
      const expect = (label: string, reply: Reply, allowed: readonly number[]): void => {
        checked += 1;
        if (!allowed.includes(reply.status)) failures.push(`${label}: ${reply.status} (expected ${allowed.join(' or ')}) ${reply.body.slice(0, 200)}`);
      };
      for (const route of routes) {
        const url = fillUrl(route.url, victimValue(false));
        for (const credential of credentials()) {
          const label = `${route.method} ${url} with ${credential.name}`;
          const body = route.url.startsWith('/scim/') ? scimBody(route.method, route.url) : route.method === 'GET' || route.method === 'HEAD' || route.method === 'DELETE' ? undefined : {};
          const reply = await call(route.method, url, credential.headers(route.method), body);
          assertNoLeak(reply, label, url);
          const session = credential.name === "B's console session";
          switch (route.routeClass) {
            case 'scim-tenant':
              expect(label, reply, [401]);
              break;
            case 'scim-token':
              // Only B's SCIM token authenticates here; it must not find A's resources.
              if (credential.name !== "B's SCIM token") expect(label, reply, [401]);
              else if (parametersOf(route.url).includes('id') && !/ResourceTypes|Schemas/.test(route.url)) expect(label, reply, [404, 405]);
              break;
            case 'api-tenant':
              expect(label, reply, session ? (route.operatorOnly ? [401, 403] : [404]) : [401]);
              break;
            case 'api-operator':
              expect(label, reply, session ? [401, 403, 404] : [401]);
              break;
            case 'api-session':
              if (!session) expect(label, reply, [401]);
              break;
            case 'public':
              break;
          }
        }
        // B's own base URLs with A's ids in them: A's resources must not resolve through B.
        const params = parametersOf(route.url).filter((name) => name !== 'tenantId' && name !== '*');
        if (params.length > 0 && (route.routeClass === 'scim-tenant' || route.routeClass === 'api-tenant') && !/ResourceTypes|Schemas/.test(route.url)) {
          const own = fillUrl(route.url, victimValue(true));
          const scim = route.routeClass === 'scim-tenant';
          const [credential] = credentials().filter((entry) => entry.name === (scim ? "B's SCIM token" : "B's console session"));
          assert.ok(credential !== undefined);
          const body = scim ? scimBody(route.method, route.url) : undefined;
          const reply = await call(route.method, own, credential.headers(route.method), body);
          const label = `${route.method} ${own} (B's URL, A's id) with ${credential.name}`;
          assertNoLeak(reply, label, own);
          // 400 only where the route validates a body before it looks anything up (no body is sent).
          expect(label, reply, scim ? [404, 405] : route.operatorOnly ? [401, 403] : [404, 400]);
          // The same answer as for ids that exist nowhere: no existence oracle.
          const fake = fillUrl(route.url, (name) => (name === 'tenantId' ? intruder.tenantId : FAKE_ID));
          const nowhere = await call(route.method, fake, credential.headers(route.method), body);
          if (nowhere.status !== reply.status || normalise(nowhere.body) !== normalise(reply.body)) {
            failures.push(`${label} differs from the answer for ids that do not exist: ${reply.status} ${reply.body.slice(0, 150)} / ${nowhere.status} ${nowhere.body.slice(0, 150)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(checked > 500, `only ${checked} checks`);
      const afterwards = await victimSnapshot();
      for (const [url, state] of before) assert.equal(afterwards.get(url), state, `A's ${url} changed`);
      // A's log shows the refused attempts on its URL, never as one of A's tokens, and holds
      // nothing B sent in a body.
      const log = await call('GET', `/api/v1/tenants/${victim.tenantId}/provisioning-log?limit=500`, { authorization: `Bearer ${operatorKey}` }, undefined);
      assert.equal(log.status, 200, log.body);
      const entries = (JSON.parse(log.body) as { entries: { tokenId: string | null; status: number | null; requestBody: string | null }[] }).entries;
      const victimTokens = new Set((await server.services.tokens.list(victim.tenantId)).map((token) => token.id));
      for (const entry of entries) {
        if (entry.tokenId !== null) assert.ok(victimTokens.has(entry.tokenId), `a log entry of A names token ${entry.tokenId}`);
        else assert.equal(entry.requestBody, null, 'a refused request\'s body is not kept');
      }
    });

    it('never resolves A\'s ids inside B\'s requests: members, manager, filters, Bulk', async () => {
      const asB = { authorization: `Bearer ${intruder.token}` };
      const base = `/scim/v2/${intruder.tenantId}`;
      const scim = async (method: string, path: string, body?: unknown): Promise<{ reply: Reply; request: string }> => ({
        reply: await call(method, `${base}${path}`, asB, body),
        request: JSON.stringify([method, path, body]),
      });
      const swapIds = (request: string): [string, string, unknown] => {
        const swapped = request.replaceAll(victim.userId, FAKE_ID).replaceAll(victim.groupId, FAKE_ID.replace(/ff$/, 'fe'));
        return JSON.parse(swapped) as [string, string, unknown];
      };
      const replies = [
        await scim('PATCH', `/Groups/${intruder.groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: victim.userId }] }] }),
        await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Cross-tenant members', members: [{ value: victim.userId }, { value: victim.groupId }] }),
        await scim('PUT', `/Groups/${intruder.groupId}`, { schemas: [GROUP_SCHEMA], displayName: 'Own group', members: [{ value: victim.userId }] }),
        await scim('PATCH', `/Users/${intruder.userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: `${ENTERPRISE}:manager`, value: { value: victim.userId } }] }),
        await scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${victim.userId}"`)}`),
        await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "victim.marker@victim.example"')}`),
        await scim('GET', `/Groups?filter=${encodeURIComponent(`members.value eq "${victim.userId}"`)}`),
        await scim('POST', '/.search', { schemas: [SEARCH], filter: `id eq "${victim.groupId}" or id eq "${victim.userId}"` }),
        await scim('POST', '/Bulk', {
          schemas: [BULK],
          Operations: [
            { method: 'PATCH', path: `/Users/${victim.userId}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Pwned' }] } },
            { method: 'DELETE', path: `/Groups/${victim.groupId}` },
            { method: 'PATCH', path: `/Groups/${intruder.groupId}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: victim.userId }] }] } },
          ],
        }),
      ];
      for (const [index, { reply, request }] of replies.entries()) {
        assertNoLeak(reply, `cross-reference ${index}`, request);
        assert.ok(reply.status < 500, `cross-reference ${index}: ${reply.status} ${reply.body}`);
        // A's ids get the answer ids that exist nowhere get: B cannot even learn that they exist.
        const nowhere = await scim(...swapIds(request));
        assert.equal(nowhere.reply.status, reply.status, `cross-reference ${index}: ${reply.body} / ${nowhere.reply.body}`);
        assert.equal(normalise(nowhere.reply.body), normalise(reply.body), `cross-reference ${index}`);
      }
      // Whatever each answered, B's group holds no member of A's and B's user no manager of A's.
      const group = await scim('GET', `/Groups/${intruder.groupId}`);
      assert.doesNotMatch(group.reply.body, new RegExp(victim.userId));
      const user = await scim('GET', `/Users/${intruder.userId}`);
      assert.doesNotMatch(user.reply.body, /Victim Marker Person/);
      // And A is as it was: its user untouched, its group still there with its member.
      const victimUser = await server.request('GET', `/Users/${victim.userId}`);
      assert.equal(victimUser.status, 200);
      assert.notEqual(victimUser.body.title, 'Pwned');
      const victimGroup = await server.request('GET', `/Groups/${victim.groupId}`);
      assert.deepEqual((victimGroup.body.members as { value: string }[]).map((member) => member.value), [victim.userId]);
    });
  });
}
