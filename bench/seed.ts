import { randomUUID } from 'node:crypto';
import type { ProvisioningPolicy } from '../src/policy/provisioning-policy.js';
import { TenantPolicy } from '../src/policy/tenant-policy.js';
import { groupResourceType, baseRegistry, userResourceType } from '../src/schema/registry.js';
import { readResourceInput } from '../src/scim/resource/read-input.js';
import { createServices } from '../src/service/services.js';
import type { GroupRecord, NewEvent, UserRecord } from '../src/store/records.js';
import type { TenantView } from '../src/service/tenants.js';
import type { Store, StoreSession } from '../src/store/store.js';
import { memberRowFor } from './member-rows.js';
import { DEPARTMENTS, prng, userBody } from './people.js';
import { Progress } from './progress.js';
import type { SeedManifest, SeededGroup } from './manifest.js';

/** Users per seeding transaction. */
const USER_BATCH = 5000;
/** Events per append call (one multi-row insert). */
const EVENT_CHUNK = 1000;
/** Members per membership transaction. */
const MEMBERSHIP_BATCH = 10_000;
/** The large group's target size (docs/benchmarks.md: groups of 100,000 members). */
export const LARGE_GROUP_SIZE = 100_000;
/** The small group's size. */
export const SMALL_GROUP_SIZE = 10;

const READ_USER = { registry: baseRegistry, resourceType: userResourceType, strict: false, requiredAttributes: [] };
const READ_GROUP = { registry: baseRegistry, resourceType: groupResourceType, strict: false };
const YEAR_MS = 365 * 24 * 3600 * 1000;

async function appendEvents(session: StoreSession, tenantId: string, events: readonly NewEvent[], at: string): Promise<void> {
  for (let start = 0; start < events.length; start += EVENT_CHUNK) {
    await session.events.append(tenantId, events.slice(start, start + EVENT_CHUNK), at);
  }
}

/** Runs `work(0..count-1)` with at most `parallel` of them at once (PostgreSQL seeds in parallel transactions). */
async function inParallel(count: number, parallel: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, count) }, async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await work(index);
    }
  });
  await Promise.all(lanes);
}

/** Where the small group's members and each connection's own users come from (see scenarios-groups.ts). */
export function smallGroupUserIndexes(users: number): number[] {
  const start = Math.floor(users / 2);
  return Array.from({ length: SMALL_GROUP_SIZE }, (_, k) => start + k);
}

/** The seeded manager of user `index` (two in three users name an earlier user; only enterprise users keep it). */
export function managerIndexOf(index: number): number | undefined {
  return index > 0 && index % 3 !== 0 ? Math.floor((index - 1) / 8) : undefined;
}

class Seeder {
  readonly ids: string[] = [];
  private readonly progress = new Progress();
  private readonly start = Date.now() - 3 * YEAR_MS;
  /** The product's own policy, run on membership changes as the group service does. */
  private readonly policy: ProvisioningPolicy = new TenantPolicy();
  private readonly tenantId: string;

  constructor(
    private readonly store: Store,
    private readonly tenant: TenantView,
    private readonly users: number,
    private readonly parallel: number,
    private readonly analyze: () => Promise<void>,
  ) {
    this.tenantId = tenant.id;
  }

  private userRecord(index: number): UserRecord {
    const manager = managerIndexOf(index);
    const managerId = manager === undefined ? undefined : this.ids[manager];
    const data = readResourceInput(userBody(index, managerId === undefined ? {} : { managerId }), READ_USER);
    const created = new Date(this.start + Math.floor((index * 3 * YEAR_MS) / this.users)).toISOString();
    const active = data.active !== false;
    return {
      tenantId: this.tenantId,
      id: this.ids[index] as string,
      userName: data.userName as string,
      externalId: typeof data.externalId === 'string' ? data.externalId : null,
      active,
      deletedAt: null,
      created,
      lastModified: created,
      version: 1,
      data: { ...data, active },
    };
  }

  async seedUsers(): Promise<void> {
    for (let i = 0; i < this.users; i += 1) this.ids.push(randomUUID());
    this.progress.begin('users', this.users);
    const batches = Math.ceil(this.users / USER_BATCH);
    let done = 0;
    await inParallel(batches, this.parallel, async (batch) => {
      const from = batch * USER_BATCH;
      const to = Math.min(this.users, from + USER_BATCH);
      const records: UserRecord[] = [];
      for (let index = from; index < to; index += 1) records.push(this.userRecord(index));
      const events = records.map((user): NewEvent => ({ type: 'user.created', resourceType: 'User', resourceId: user.id, payload: { userName: user.userName, active: user.active } }));
      await this.store.transaction(async (tx) => {
        for (const record of records) {
          await tx.users.insert(record);
          const { member, secretHash } = memberRowFor(this.tenant, record);
          await tx.members.insert(member, secretHash);
        }
        await appendEvents(tx, this.tenantId, events, records[records.length - 1]?.created ?? new Date().toISOString());
      });
      this.progress.advance(to - from);
      done += 1;
      // PostgreSQL plans the foreign-key checks of each connection once, when the tables
      // were empty (a sequential scan, then kept): each insert would read every earlier user.
      // New statistics make it plan them again, with the index.
      if ((done & (done - 1)) === 0) await this.analyze();
    });
    this.progress.end();
    await this.analyze();
  }

  async group(displayName: string, userIndexes: readonly number[]): Promise<SeededGroup> {
    const at = new Date().toISOString();
    const data = readResourceInput({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, externalId: randomUUID() }, READ_GROUP);
    const record: GroupRecord = { tenantId: this.tenantId, id: randomUUID(), displayName, externalId: data.externalId as string, created: at, lastModified: at, version: 1, data };
    await this.store.transaction(async (tx) => {
      await tx.groups.insert(record);
      await tx.events.append(this.tenantId, [{ type: 'group.created', resourceType: 'Group', resourceId: record.id, payload: { displayName } }], at);
    });
    const batches = Math.ceil(userIndexes.length / MEMBERSHIP_BATCH);
    await inParallel(batches, this.parallel, async (batch) => {
      const ids = userIndexes.slice(batch * MEMBERSHIP_BATCH, (batch + 1) * MEMBERSHIP_BATCH).map((index) => this.ids[index] as string);
      const events = ids.map((memberId): NewEvent => ({ type: 'group.member_added', resourceType: 'Group', resourceId: record.id, payload: { displayName, memberId } }));
      await this.store.transaction(async (tx) => {
        await tx.groups.addMemberships(this.tenantId, record.id, ids.map((value) => ({ value, type: 'User' as const })));
        await this.policy.afterMembershipChange(tx, this.tenant, record, { added: ids, removed: [] });
        await appendEvents(tx, this.tenantId, events, at);
      });
      this.progress.advance(ids.length);
    });
    return { id: record.id, displayName, members: userIndexes.length };
  }

  /** Department groups (every user in one), the 100,000-member group, the 10-member group, and small teams. */
  async seedGroups(): Promise<{ large: SeededGroup; small: SeededGroup; others: number; memberships: number }> {
    const large = Math.min(LARGE_GROUP_SIZE, this.users);
    const teams = Math.max(10, Math.floor(this.users / 1000));
    const random = prng(4242);
    const teamUserIndexes = Array.from({ length: teams }, () => Array.from({ length: 5 + Math.floor(random() * 46) }, () => Math.floor(random() * this.users)));
    const memberships = this.users + large + SMALL_GROUP_SIZE + teamUserIndexes.reduce((sum, list) => sum + new Set(list).size, 0);
    this.progress.begin('memberships', memberships);
    const largeGroup = await this.group('All Staff', Array.from({ length: large }, (_, index) => index));
    const smallGroup = await this.group('Benchmark Small Team', smallGroupUserIndexes(this.users));
    for (const [d, name] of DEPARTMENTS.entries()) {
      const members: number[] = [];
      for (let index = d; index < this.users; index += DEPARTMENTS.length) members.push(index);
      await this.group(`Dept ${name}`, members);
    }
    for (const [t, members] of teamUserIndexes.entries()) await this.group(`Team ${String(t + 1).padStart(4, '0')}`, [...new Set(members)]);
    this.progress.end();
    return { large: largeGroup, small: smallGroup, others: DEPARTMENTS.length + teams, memberships };
  }
}

/**
 * Seeds a fresh, migrated store through the store interface (not HTTP): a tenant and its
 * token, `users` users in large transactions with their `user.created` events and their
 * member rows (as the product's policy makes them), and groups with their membership events.
 * Prints progress to stderr.
 */
export async function seed(store: Store, engine: string, users: number, analyze: () => Promise<void>): Promise<SeedManifest> {
  const began = Date.now();
  const services = createServices(store);
  const tenant = await services.tenants.create('Acme Corp (benchmark)');
  const issued = await services.tokens.issue(tenant.id, { name: 'benchmark' });
  const seeder = new Seeder(store, tenant, users, engine === 'postgres' ? 4 : 1, analyze);
  await seeder.seedUsers();
  const usersSeconds = (Date.now() - began) / 1000;
  const groups = await seeder.seedGroups();
  return {
    engine,
    users,
    tenantId: tenant.id,
    token: issued.secret,
    userIds: seeder.ids,
    largeGroup: groups.large,
    smallGroup: groups.small,
    otherGroups: groups.others,
    memberships: groups.memberships,
    seededAt: new Date().toISOString(),
    seedSeconds: { users: usersSeconds, total: (Date.now() - began) / 1000 },
  };
}
