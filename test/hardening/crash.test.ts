// Crash safety: sustained writes against a real `roster serve`, SIGKILL at a random
// moment, a restart on the same database, and then: every acknowledged write is there, no
// write is there in part (a 200-member group PATCH is all or nothing; every user has its
// user.created event; every group's members are exactly what its member events say), and
// writes that were in flight at the kill are either wholly there or wholly absent.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sql/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { tempDataDir } from '../support/cli.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';
import { kill, serve, stop, type ServeProcess } from './crash-server.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BASE_USERS = 200;
const WRITERS = 6;
const CYCLES = 3;

type Json = Record<string, unknown>;

/** What the client knows: acknowledged writes, and writes whose answer never came. */
interface Ledger {
  /** Acknowledged writes so far, of any kind (the kill waits for some). */
  acks: number;
  readonly created: Map<string, string>; // id → userName, acknowledged
  readonly deleted: Set<string>; // acknowledged deletes
  readonly maybeDeleted: Set<string>;
  readonly fullGroups: Set<string>; // 200-member PATCH acknowledged
  readonly groups: Set<string>; // every acknowledged group create
  /** Per base user: the last acknowledged title and the one in flight at the kill. */
  readonly titles: Map<string, { acked: string | undefined; pending: string | undefined }>;
}

class Client {
  constructor(
    private readonly origin: string,
    private readonly tenantId: string,
    private readonly token: string,
  ) {}

  /** A SCIM request; undefined when the connection failed (the server died). */
  async send(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json } | undefined> {
    try {
      const response = await fetch(`${this.origin}/scim/v2/${this.tenantId}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
    } catch {
      return undefined;
    }
  }
}

/** One writer's loop until the server dies: creates, 200-member group PATCHes, title PATCHes, deletes. */
async function writer(client: Client, ledger: Ledger, index: number, cycle: number, baseUsers: readonly string[]): Promise<void> {
  const owned = baseUsers.filter((_, i) => i % WRITERS === index);
  const mine: string[] = [];
  for (let step = 0; ; step += 1) {
    const roll = (step * 7 + index * 3) % 10;
    if (roll < 4) {
      const userName = `crash-${cycle}-${index}-${step}@example.com`;
      const reply = await client.send('POST', '/Users', { schemas: [USER], userName, title: 'created' });
      if (reply === undefined) return;
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      ledger.created.set(String(reply.body.id), userName);
      ledger.acks += 1;
      mine.push(String(reply.body.id));
    } else if (roll < 6) {
      const group = await client.send('POST', '/Groups', { schemas: [GROUP], displayName: `crash-group-${cycle}-${index}-${step}` });
      if (group === undefined) return;
      assert.equal(group.status, 201, JSON.stringify(group.body));
      const id = String(group.body.id);
      ledger.groups.add(id);
      const reply = await client.send('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: baseUsers.map((value) => ({ value })) }] });
      if (reply === undefined) return;
      assert.equal(reply.status, 204, JSON.stringify(reply.body));
      ledger.fullGroups.add(id);
      ledger.acks += 1;
    } else if (roll < 9) {
      const user = owned[step % owned.length];
      if (user === undefined) continue;
      const title = `c${cycle}-w${index}-s${step}`;
      const entry = ledger.titles.get(user) ?? { acked: undefined, pending: undefined };
      entry.pending = title;
      ledger.titles.set(user, entry);
      const reply = await client.send('PATCH', `/Users/${user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] });
      if (reply === undefined) return;
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      ledger.titles.set(user, { acked: title, pending: undefined });
      ledger.acks += 1;
    } else {
      const victim = mine.shift();
      if (victim === undefined) continue;
      ledger.maybeDeleted.add(victim);
      const reply = await client.send('DELETE', `/Users/${victim}`);
      if (reply === undefined) return;
      assert.equal(reply.status, 204, JSON.stringify(reply.body));
      ledger.maybeDeleted.delete(victim);
      ledger.deleted.add(victim);
      ledger.acks += 1;
    }
  }
}

/** Every user the tenant has (live), id → the user. */
async function allUsers(client: Client): Promise<Map<string, Json>> {
  const users = new Map<string, Json>();
  for (let start = 1; ; start += 1000) {
    const page = await client.send('GET', `/Users?count=1000&startIndex=${start}`);
    assert.ok(page !== undefined && page.status === 200);
    const resources = (page.body.Resources ?? []) as Json[];
    for (const user of resources) users.set(String(user.id), user);
    if (resources.length < 1000) return users;
  }
}

async function verify(client: Client, store: Store, tenantId: string, ledger: Ledger, label: string): Promise<void> {
  const users = await allUsers(client);
  for (const [id, userName] of ledger.created) {
    if (ledger.deleted.has(id) || ledger.maybeDeleted.has(id)) continue;
    assert.equal(users.get(id)?.userName, userName, `${label}: acknowledged create of ${userName} is missing`);
  }
  for (const id of ledger.deleted) assert.ok(!users.has(id), `${label}: acknowledged delete of ${id} is undone`);
  for (const [id, { acked, pending }] of ledger.titles) {
    const title = users.get(id)?.title;
    assert.ok(title === acked || (pending !== undefined && title === pending), `${label}: user ${id} has title ${String(title)}, acknowledged ${String(acked)}, in flight ${String(pending)}`);
  }
  // Events, read from the database itself: every user row has its user.created event, and
  // every group's members are exactly what its member events add up to.
  const events = await store.read.events.list(tenantId, 0, 1_000_000);
  const createdEvents = new Set(events.filter((event) => event.type === 'user.created').map((event) => event.resourceId));
  for (const id of users.keys()) assert.ok(createdEvents.has(id), `${label}: user ${id} has no user.created event`);
  for (const id of createdEvents) assert.ok((await store.read.users.get(tenantId, id)) !== undefined, `${label}: a user.created event names ${id}, which has no row`);
  const fromEvents = new Map<string, Set<string>>();
  for (const event of events) {
    if (event.type !== 'group.member_added' && event.type !== 'group.member_removed') continue;
    const members = fromEvents.get(event.resourceId) ?? new Set<string>();
    const memberId = event.payload.memberId;
    if (typeof memberId !== 'string') continue;
    if (event.type === 'group.member_added') members.add(memberId);
    else members.delete(memberId);
    fromEvents.set(event.resourceId, members);
  }
  for (const id of ledger.groups) {
    const group = await client.send('GET', `/Groups/${id}`);
    assert.ok(group !== undefined && group.status === 200, `${label}: acknowledged group ${id} is missing`);
    const members = ((group.body.members ?? []) as Json[]).map((member) => String(member.value)).sort();
    assert.ok(members.length === 0 || members.length === BASE_USERS, `${label}: group ${id} has ${members.length} of ${BASE_USERS} members: a PATCH was half applied`);
    if (ledger.fullGroups.has(id)) assert.equal(members.length, BASE_USERS, `${label}: acknowledged 200-member PATCH of ${id} is missing`);
    assert.deepEqual(members, [...(fromEvents.get(id) ?? [])].sort(), `${label}: group ${id}'s members differ from its member events`);
  }
}

for (const engine of testEngines()) {
  describe(`crash safety of roster serve on ${engine.name}`, () => {
    let server: ServeProcess | undefined;
    let store: Store | undefined;
    after(async () => {
      if (server !== undefined) await stop(server);
      await store?.close();
    });

    it(`loses no acknowledged write and leaves none half-applied across ${CYCLES} SIGKILLs`, { timeout: 300_000 }, async () => {
      const dataDir = tempDataDir();
      const databaseUrl = engine.name === 'postgres' ? await createTestDatabase() : '';
      const env = { ROSTER_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
      server = await serve(env);
      const tenantId = /SCIM base URL:\s+\S+\/scim\/v2\/(\S+)/.exec(server.banner)?.[1];
      const token = /Token:\s+(rst_\S+)/.exec(server.banner)?.[1];
      assert.ok(tenantId !== undefined && token !== undefined, server.banner);
      store = databaseUrl === '' ? openSqliteStore({ filename: join(dataDir, 'roster.db') }) : openPostgresStore({ connectionString: databaseUrl, poolSize: 2 });

      let client = new Client(server.origin, tenantId, token);
      const baseUsers: string[] = [];
      for (let i = 0; i < BASE_USERS; i += 20) {
        const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => client.send('POST', '/Users', { schemas: [USER], userName: `base-${i + j}@example.com` })));
        for (const reply of batch) {
          assert.equal(reply?.status, 201);
          baseUsers.push(String(reply?.body.id));
        }
      }
      const ledger: Ledger = { acks: 0, created: new Map(), deleted: new Set(), maybeDeleted: new Set(), fullGroups: new Set(), groups: new Set(), titles: new Map() };
      for (const [i, id] of baseUsers.entries()) ledger.created.set(id, `base-${i}@example.com`);

      for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
        const writers = Array.from({ length: WRITERS }, (_, index) => writer(client, ledger, index, cycle, baseUsers));
        // After a random number of acknowledged writes (so that a slow machine still gets some
        // in), and a random few milliseconds more: mid-transaction, mid-response, between requests.
        const target = ledger.acks + 10 + Math.floor(Math.random() * 50);
        const fullGroups = ledger.fullGroups.size;
        const waitUntil = Date.now() + 60_000;
        while ((ledger.acks < target || (cycle === 1 && ledger.fullGroups.size === fullGroups)) && Date.now() < waitUntil) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const delay = Math.floor(Math.random() * 50);
        await new Promise((resolve) => setTimeout(resolve, delay));
        await kill(server);
        await Promise.all(writers);
        server = await serve(env);
        client = new Client(server.origin, tenantId, token);
        await verify(client, store, tenantId, ledger, `cycle ${cycle} (killed ${delay} ms after ${target} acknowledged writes)`);
      }
      assert.ok(ledger.fullGroups.size > 0 && ledger.created.size > BASE_USERS, 'the writers got writes acknowledged between the kills');
    });
  });
}
