// Several Roster processes on one PostgreSQL database: the guarantees that must hold when a
// load balancer spreads one IdP's requests over them. Each test talks HTTP to two real
// processes started from test/support/postgres-server-entry.ts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test, type TestContext } from 'node:test';
import { createServices } from '../../src/service/services.js';
import { decodeFeedPosition } from '../../src/store/sql/events/feed-position.js';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';

const ENTRY = fileURLToPath(new URL('../support/postgres-server-entry.ts', import.meta.url));
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Json = Record<string, unknown>;

interface Roster {
  readonly port: number;
  readonly child: ChildProcess;
}

interface Reply {
  readonly status: number;
  readonly etag: string | null;
  readonly body: Json;
}

/** Starts one Roster process on `databaseUrl`; resolves once it listens. */
function startRoster(databaseUrl: string): Promise<Roster> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ROSTER_PG_POOL_SIZE: '10' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => fail(new Error('Roster did not start within 60 s')), 60_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${errors}`));
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        resolve({ port: (JSON.parse(line) as { port: number }).port, child });
      }
    });
    child.once('exit', (code) => fail(new Error(`Roster exited with ${code} before listening`)));
  });
}

function stopRoster(roster: Roster): Promise<void> {
  return new Promise((resolve) => {
    if (roster.child.exitCode !== null) return resolve();
    roster.child.once('exit', () => resolve());
    roster.child.kill('SIGTERM');
  });
}

const postgres = testEngines().some((engine) => engine.name === 'postgres');

describe('two Roster processes on one PostgreSQL database', { skip: postgres ? false : 'PostgreSQL is not available' }, () => {
  let rosters: Roster[] = [];
  let store: Store;
  let tenantId: string;
  let token: string;

  before(async () => {
    const databaseUrl = await createTestDatabase();
    // Both start on an empty database at once: the migration lock lets exactly one migrate.
    rosters = await Promise.all([startRoster(databaseUrl), startRoster(databaseUrl)]);
    store = openPostgresStore({ connectionString: databaseUrl, poolSize: 2 });
    const services = createServices(store);
    const tenant = await services.tenants.create('Concurrency');
    tenantId = tenant.id;
    token = (await services.tokens.issue(tenantId, { name: 'test' })).secret;
  });

  after(async () => {
    await Promise.all(rosters.map(stopRoster));
    await store?.close();
  });

  /** A SCIM request to the `index`-th process (any integer: requests alternate between them). */
  async function scim(index: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const roster = rosters[index % rosters.length];
    assert.ok(roster !== undefined);
    const response = await fetch(`http://127.0.0.1:${roster.port}/scim/v2/${tenantId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, etag: response.headers.get('etag'), body: text === '' ? {} : (JSON.parse(text) as Json) };
  }

  async function createUser(userName: string): Promise<string> {
    const reply = await scim(0, 'POST', '/Users', { schemas: [USER], userName });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body.id as string;
  }

  async function membershipIds(groupId: string): Promise<string[]> {
    const reply = await scim(1, 'GET', `/Groups/${groupId}`);
    assert.equal(reply.status, 200);
    const members = (reply.body.members ?? []) as { value: string }[];
    return members.map((member) => member.value).sort();
  }

  /** The membership of a group as its events tell it, applied in sequence order. */
  async function membershipFromEvents(groupId: string): Promise<string[]> {
    const members = new Set<string>();
    for (const event of await store.read.events.list(tenantId, 0, 100_000)) {
      if (event.resourceId !== groupId) continue;
      const memberId = event.payload.memberId as string;
      if (event.type === 'group.member_added') members.add(memberId);
      if (event.type === 'group.member_removed') members.delete(memberId);
    }
    return [...members].sort();
  }

  async function patchSupported(t: TestContext, path: string): Promise<boolean> {
    const probe = await scim(0, 'PATCH', path, { schemas: [PATCH_OP], Operations: [] });
    if (probe.status !== 405) return true;
    t.skip('PATCH is not implemented yet');
    return false;
  }

  test('both processes migrated the same database once', async () => {
    const tables = await store.read.tenants.list();
    assert.deepEqual(
      tables.map((tenant) => tenant.id),
      [tenantId],
    );
  });

  test('50 concurrent creates of one userName over two processes: one 201, 49 × 409 uniqueness', { timeout: 60_000 }, async () => {
    // Case differs between requests: userName is unique case-insensitively.
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => scim(i, 'POST', '/Users', { schemas: [USER], userName: i % 2 === 0 ? 'race@example.com' : 'Race@Example.COM' })),
    );
    const created = replies.filter((reply) => reply.status === 201);
    const conflicts = replies.filter((reply) => reply.status === 409);
    assert.equal(created.length, 1, `statuses: ${replies.map((reply) => reply.status).join(' ')}`);
    assert.equal(conflicts.length, 49);
    for (const reply of conflicts) assert.equal(reply.body.scimType, 'uniqueness');
    const listed = await scim(0, 'GET', `/Users?filter=${encodeURIComponent('userName eq "RACE@example.com"')}`);
    assert.equal(listed.body.totalResults, 1);
  });

  test('concurrent creates restoring one archived user: one 201, the rest 409', { timeout: 60_000 }, async () => {
    const id = await createUser('archived@example.com');
    assert.equal((await scim(0, 'DELETE', `/Users/${id}`)).status, 204);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => scim(i, 'POST', '/Users', { schemas: [USER], userName: 'archived@example.com', title: `try ${i}` })));
    const created = replies.filter((reply) => reply.status === 201);
    assert.equal(created.length, 1, `statuses: ${replies.map((reply) => reply.status).join(' ')}`);
    assert.equal(created[0]?.body.id, id, 'the archived user is restored under its id');
    assert.equal(replies.filter((reply) => reply.status === 409).length, 19);
    const user = await scim(1, 'GET', `/Users/${id}`);
    assert.equal(user.body.title, created[0]?.body.title, 'the stored user is the one the 201 answered');
  });

  test('concurrent PUTs with If-Match of one version: exactly one 200 and one 412, every round', { timeout: 60_000 }, async () => {
    const id = await createUser('if-match@example.com');
    for (let round = 0; round < 10; round += 1) {
      const current = await scim(0, 'GET', `/Users/${id}`);
      const etag = current.etag;
      assert.ok(etag !== null);
      const replies = await Promise.all(
        [0, 1].map((process) => scim(process, 'PUT', `/Users/${id}`, { schemas: [USER], userName: 'if-match@example.com', title: `round ${round} by ${process}` }, { 'if-match': etag })),
      );
      assert.deepEqual(replies.map((reply) => reply.status).sort(), [200, 412], `round ${round}`);
      const winner = replies.find((reply) => reply.status === 200);
      const after = await scim(1, 'GET', `/Users/${id}`);
      assert.equal(after.body.title, winner?.body.title, 'the stored title is the winner’s');
      assert.equal(after.etag, winner?.etag);
    }
    const final = await scim(0, 'GET', `/Users/${id}`);
    assert.equal((final.body.meta as Json).version, 'W/"11"', 'one version per successful write');
  });

  test('concurrent PATCHes with If-Match of one version: exactly one 200 and one 412', { timeout: 60_000 }, async (t) => {
    const id = await createUser('patch-if-match@example.com');
    if (!(await patchSupported(t, `/Users/${id}`))) return;
    for (let round = 0; round < 10; round += 1) {
      const etag = (await scim(0, 'GET', `/Users/${id}`)).etag;
      assert.ok(etag !== null);
      const replies = await Promise.all(
        [0, 1].map((process) =>
          scim(process, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `round ${round} by ${process}` }] }, { 'if-match': etag }),
        ),
      );
      assert.deepEqual(replies.map((reply) => reply.status).sort(), [200, 412], `round ${round}`);
    }
  });

  test('concurrent PATCHes without If-Match lose no update', { timeout: 60_000 }, async (t) => {
    const id = await createUser('many-phones@example.com');
    if (!(await patchSupported(t, `/Users/${id}`))) return;
    const numbers = Array.from({ length: 20 }, (_, i) => `+1 555 01${String(i).padStart(2, '0')}`);
    const replies = await Promise.all(
      numbers.map((value, i) => scim(i, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'phoneNumbers', value: [{ value, type: 'work' }] }] })),
    );
    assert.deepEqual(new Set(replies.map((reply) => reply.status)), new Set([200]));
    const user = await scim(0, 'GET', `/Users/${id}`);
    const stored = ((user.body.phoneNumbers ?? []) as { value: string }[]).map((phone) => phone.value).sort();
    assert.deepEqual(stored, numbers);
    assert.equal((user.body.meta as Json).version, `W/"${1 + numbers.length}"`);
  });

  test('concurrent PUTs of a group’s members leave exactly one writer’s set, matching the events', { timeout: 60_000 }, async () => {
    const users = await Promise.all(Array.from({ length: 24 }, (_, i) => createUser(`put-member-${i}@example.com`)));
    const group = await scim(0, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Put race' });
    assert.equal(group.status, 201);
    const groupId = group.body.id as string;
    // Twenty different member sets of twelve: a blend of two would be no writer's set.
    const sets = Array.from({ length: 20 }, (_, i) => users.filter((_, j) => (j + i) % 24 < 12 || j === i).sort());
    const replies = await Promise.all(sets.map((set, i) => scim(i, 'PUT', `/Groups/${groupId}`, { schemas: [GROUP], displayName: 'Put race', members: set.map((value) => ({ value })) })));
    assert.deepEqual(new Set(replies.map((reply) => reply.status)), new Set([200]));
    const final = await membershipIds(groupId);
    assert.ok(
      sets.some((set) => JSON.stringify(set) === JSON.stringify(final)),
      `the final membership (${final.length} members) is one of the PUT sets`,
    );
    assert.deepEqual(await membershipFromEvents(groupId), final, 'the events replay to the stored membership');
    const meta = (await scim(0, 'GET', `/Groups/${groupId}`)).body.meta as Json;
    assert.equal(meta.version, `W/"${1 + sets.length}"`, 'every PUT moved the version once');
  });

  test('concurrent member PATCHes from both processes leave the exact union', { timeout: 60_000 }, async (t) => {
    const users = await Promise.all(Array.from({ length: 40 }, (_, i) => createUser(`patch-member-${i}@example.com`)));
    const kept = users.slice(0, 10);
    const removed = users.slice(10, 20);
    const added = users.slice(20);
    const group = await scim(0, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Patch race', members: [...kept, ...removed].map((value) => ({ value })) });
    assert.equal(group.status, 201);
    const groupId = group.body.id as string;
    if (!(await patchSupported(t, `/Groups/${groupId}`))) return;
    // Each added user is named by two requests (one per process), to race on the same row too.
    const requests = [
      ...added.flatMap((value, i) => [
        { i, operation: { op: 'add', path: 'members', value: [{ value }] } },
        { i: i + 1, operation: { op: 'add', path: 'members', value: [{ value }] } },
      ]),
      ...removed.map((value, i) => ({ i, operation: { op: 'remove', path: `members[value eq "${value}"]` } })),
    ];
    const replies = await Promise.all(requests.map(({ i, operation }) => scim(i, 'PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [operation] })));
    for (const reply of replies) assert.ok(reply.status === 204 || reply.status === 200, `status ${reply.status}: ${JSON.stringify(reply.body)}`);
    const final = await membershipIds(groupId);
    assert.deepEqual(final, [...kept, ...added].sort());
    assert.deepEqual(await membershipFromEvents(groupId), final, 'the events replay to the stored membership');
    const events = (await store.read.events.list(tenantId, 0, 100_000)).filter((event) => event.resourceId === groupId);
    const count = (type: string): number => events.filter((event) => event.type === type).length;
    assert.equal(count('group.member_added'), kept.length + removed.length + added.length, 'one event per member really added');
    assert.equal(count('group.member_removed'), removed.length, 'one event per member really removed');
  });

  test('members deleted or renamed while another process adds them: no membership of a deleted user, no stale display', { timeout: 60_000 }, async () => {
    const doomed = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(`doomed-${i}@example.com`)));
    const renamed = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(`renamed-${i}@example.com`)));
    const group = await scim(0, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Delete race' });
    assert.equal(group.status, 201);
    const groupId = group.body.id as string;
    const add = (i: number, value: string): Promise<Reply> => scim(i, 'PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value }] }] });
    const replies = await Promise.all([
      ...doomed.flatMap((id, i) => [add(i, id), scim(i + 1, 'DELETE', `/Users/${id}`)]),
      ...renamed.flatMap((id, i) => [add(i, id), scim(i + 1, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: `Renamed ${i}` }] })]),
    ]);
    for (const reply of replies) {
      // An add that comes after the delete finds no such user: 400 invalidValue, nothing applied.
      if (reply.status === 400) assert.equal(reply.body.scimType, 'invalidValue');
      else assert.ok([200, 204].includes(reply.status), `status ${reply.status}: ${JSON.stringify(reply.body)}`);
    }
    const members = ((await scim(1, 'GET', `/Groups/${groupId}`)).body.members ?? []) as { value: string; display: string }[];
    assert.deepEqual(members.map((member) => member.value).sort(), [...renamed].sort(), 'every renamed user is in, no deleted one');
    for (const member of members) assert.equal(member.display, `Renamed ${renamed.indexOf(member.value)}`);
    assert.deepEqual(await membershipFromEvents(groupId), [...renamed].sort(), 'the events replay to the stored membership');
  });

  test('two processes nesting two groups into each other at once never make a cycle', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 10; round += 1) {
      const [a, b] = await Promise.all(['A', 'B'].map(async (name) => (await scim(0, 'POST', '/Groups', { schemas: [GROUP], displayName: `Nest ${name} ${round}` })).body.id as string));
      assert.ok(a !== undefined && b !== undefined);
      const nest = (i: number, parent: string, child: string): Promise<Reply> =>
        scim(i, 'PATCH', `/Groups/${parent}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: child, type: 'Group' }] }] });
      const replies = await Promise.all([nest(0, a, b), nest(1, b, a)]);
      const applied = replies.filter((reply) => reply.status === 204 || reply.status === 200);
      assert.equal(applied.length, 1, `round ${round}: statuses ${replies.map((reply) => reply.status).join(' ')}`);
      const refused = replies.find((reply) => reply.status === 400);
      assert.equal(refused?.body.scimType, 'invalidValue');
      assert.match(String(refused?.body.detail), /cycle/);
    }
  });

  test('the event sequence of the tenant has no gap and no repeat, and its feed keys follow it', async () => {
    const events = await store.read.events.list(tenantId, 0, 100_000);
    assert.ok(events.length > 100);
    assert.deepEqual(
      events.map((event) => event.seq),
      events.map((_, i) => i + 1),
    );
    // Numbered in commit order under the tenant's lock, inside COMMIT: a later seq never has
    // a smaller global feed key, whichever process wrote it.
    const keys = events.map((event) => decodeFeedPosition(event.position).key);
    assert.deepEqual(
      keys,
      [...keys].sort((a, b) => a - b),
    );
  });
});
