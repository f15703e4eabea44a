import { randomUUID } from 'node:crypto';
import { attr, multiValuedComplex } from '../../src/schema/attribute.js';
import { baseRegistry, groupResourceType, userResourceType, type SchemaRegistry } from '../../src/schema/registry.js';
import type { ResourceTypeDefinition, SchemaDefinition } from '../../src/schema/types.js';
import type { FilterNode } from '../../src/scim/filter/ast.js';
import { evaluateFilter } from '../../src/scim/filter/evaluate.js';
import { parseFilterOrThrow } from '../../src/scim/filter/parser.js';
import { validateFilter } from '../../src/scim/filter/validate.js';
import type { JsonObject } from '../../src/scim/json.js';
import { renderResource } from '../../src/scim/resource/render.js';
import type { GroupRecord, MembershipType, UserRecord } from '../../src/store/records.js';
import type { ListQuery, Store } from '../../src/store/store.js';
import type { testEngines } from '../support/engines.js';

/** Shared by the store's query suites: a tenant, users and groups, and the reference answers. */

export const TEST_EXTENSION = 'urn:example:params:scim:schemas:extension:roster-test:2.0:User';

/** A custom extension with the types the core schemas lack: integer, decimal, dateTime, a string list, a case-exact string. */
export const testExtension: SchemaDefinition = {
  id: TEST_EXTENSION,
  name: 'RosterTest',
  description: 'Attributes of every type, for the query tests',
  attributes: [
    attr.integer('level'),
    attr.decimal('score'),
    attr.dateTime('hiredAt'),
    attr.string('tags', { multiValued: true }),
    attr.string('badge', { caseExact: true }),
    attr.boolean('remote'),
    multiValuedComplex('devices', 'Devices of the user.', ['laptop', 'phone']),
  ],
};

export const testRegistry: SchemaRegistry = baseRegistry.withExtensions([{ schema: testExtension, resourceType: 'User', required: false }]);

/** The User resource type of testRegistry (with the test extension). */
export const testUserType: ResourceTypeDefinition = testRegistry.resourceType('User') ?? userResourceType;

export async function createTenant(store: Store): Promise<string> {
  const id = randomUUID();
  await store.read.tenants.insert({ id, name: `tenant ${id}`, createdAt: new Date().toISOString(), settings: {} });
  return id;
}

/** Opens a store of `engine` holding the tenant `tenantId`, runs `work` on it, and closes it. */
export async function withTenantStore(engine: ReturnType<typeof testEngines>[number], tenantId: string, work: (store: Store) => Promise<void>): Promise<void> {
  const store = await engine.open();
  try {
    await store.read.tenants.insert({ id: tenantId, name: `tenant ${tenantId}`, createdAt: new Date().toISOString(), settings: {} });
    await work(store);
  } finally {
    await store.close();
  }
}

let clock = Date.UTC(2024, 0, 1);

/** Distinct, increasing timestamps, as the services' now() gives. */
export function nextInstant(): string {
  clock += 1000 + Math.floor(Math.random() * 1000);
  return new Date(clock).toISOString();
}

/** A user record as the services build it: columns mirror the document. */
export function userRecord(tenantId: string, data: JsonObject, extra: Partial<UserRecord> = {}): UserRecord {
  const at = extra.created ?? nextInstant();
  const active = typeof data.active === 'boolean' ? data.active : true;
  return {
    tenantId,
    id: randomUUID(),
    userName: data.userName as string,
    externalId: typeof data.externalId === 'string' ? data.externalId : null,
    active,
    deletedAt: null,
    created: at,
    lastModified: at,
    version: 1,
    ...extra,
    data: { ...data, active },
  };
}

export function groupRecord(tenantId: string, displayName: string, data: JsonObject = {}): GroupRecord {
  const at = nextInstant();
  return {
    tenantId,
    id: randomUUID(),
    displayName,
    externalId: typeof data.externalId === 'string' ? data.externalId : null,
    created: at,
    lastModified: at,
    version: 1,
    data: { displayName, ...data },
  };
}

export async function addMemberships(store: Store, tenantId: string, group: GroupRecord, members: readonly { id: string; type: MembershipType }[]): Promise<void> {
  await store.read.groups.addMemberships(tenantId, group.id, members.map((member) => ({ value: member.id, type: member.type })));
}

export function parseValid(text: string, resourceType = testUserType, registry = testRegistry): FilterNode {
  const filter = parseFilterOrThrow(text);
  validateFilter(filter, registry, resourceType);
  return filter;
}

/** Every row of a list, in order (big page, index paging). */
export function query(filter: FilterNode | undefined, extra: Partial<ListQuery> = {}): ListQuery {
  return { registry: testRegistry, ...(filter === undefined ? {} : { filter }), offset: 0, limit: 10_000, ...extra };
}

/** A user as SCIM shows it (what the evaluator sees): the store's record, its groups, meta. */
export async function renderUsers(store: Store, tenantId: string, users: readonly UserRecord[]): Promise<Map<string, JsonObject>> {
  const groups = await store.read.users.groupsOf(tenantId, users.map((user) => user.id));
  const rendered = new Map<string, JsonObject>();
  for (const user of users) {
    const own = groups.filter((group) => group.userId === user.id).map((group) => ({ value: group.value, $ref: `https://roster.test/Groups/${group.value}`, display: group.display, type: 'direct' }));
    rendered.set(
      user.id,
      renderResource(
        {
          resourceType: testUserType,
          id: user.id,
          data: user.data,
          created: user.created,
          lastModified: user.lastModified,
          version: `W/"${user.version}"`,
          location: `https://roster.test/Users/${user.id}`,
          computed: own.length > 0 ? { groups: own } : {},
        },
        testRegistry,
      ),
    );
  }
  return rendered;
}

/** A group as SCIM shows it, with all its members. */
export async function renderGroups(store: Store, tenantId: string, groups: readonly GroupRecord[]): Promise<Map<string, JsonObject>> {
  const rendered = new Map<string, JsonObject>();
  for (const group of groups) {
    const members = await store.read.groups.memberships(tenantId, group.id, null, 100_000);
    const shown = members.map((member) => ({
      value: member.value,
      $ref: `https://roster.test/${member.type === 'Group' ? 'Groups' : 'Users'}/${member.value}`,
      type: member.type,
      ...(member.display === null ? {} : { display: member.display }),
    }));
    rendered.set(
      group.id,
      renderResource(
        {
          resourceType: groupResourceType,
          id: group.id,
          data: group.data,
          created: group.created,
          lastModified: group.lastModified,
          version: `W/"${group.version}"`,
          location: `https://roster.test/Groups/${group.id}`,
          computed: shown.length > 0 ? { members: shown } : {},
        },
        testRegistry,
      ),
    );
  }
  return rendered;
}

/** Ids the reference evaluator selects, in the order given. */
export function expectedIds(filter: FilterNode, rendered: ReadonlyMap<string, JsonObject>, resourceType = testUserType): string[] {
  return [...rendered].filter(([, resource]) => evaluateFilter(filter, resource, testRegistry, resourceType)).map(([id]) => id);
}

export function sorted(ids: Iterable<string>): string[] {
  return [...ids].sort();
}
