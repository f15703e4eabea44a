// Model-based fuzzing: random sequences of SCIM writes (creates that collide and
// restore archived users, PUTs, PATCHes in both IdP dialects, deletes, group pushes with
// nested groups and cycles) run against the server and against a small reference model of
// users, groups and memberships. Every answer's status must be the one the model predicts,
// every error a valid SCIM error, and the stored state must equal the model's at the end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { testEngines } from '../support/engines.js';
import { startServer, GROUP_SCHEMA, USER_SCHEMA, type TestServer } from '../support/scim-client.js';
import { assertScimAnswer, fuzzParameters, LONG_RUN, send, type RawReply } from './fuzz-support.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Case variants collide: userName and group displayName are unique case-insensitively. */
const USER_NAMES = ['ada@x.example', 'ADA@x.example', 'bob@x.example', 'Bob@X.Example', 'cy@x.example', 'dee@x.example'];
const GROUP_NAMES = ['Eng', 'ENG', 'Sales', 'Ops'];
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';

interface ModelUser {
  readonly id: string;
  userName: string;
  title: string | undefined;
  active: boolean;
  deleted: boolean;
}

interface ModelGroup {
  readonly id: string;
  displayName: string;
  members: Set<string>;
  deleted: boolean;
}

/** The reference model: every user and group ever created, in creation order. */
interface Model {
  readonly users: ModelUser[];
  readonly groups: ModelGroup[];
}

interface Real {
  scim(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<RawReply & { json: Record<string, unknown> }>;
}

const fold = (text: string): string => text.toLowerCase();
const liveUsers = (model: Model): ModelUser[] => model.users.filter((user) => !user.deleted);
const liveGroups = (model: Model): ModelGroup[] => model.groups.filter((group) => !group.deleted);

/** A reference to a user or group: an index into everything created so far, or an unknown id. */
type Ref = { readonly kind: 'user' | 'group'; readonly index: number };
const ref = fc.record({ kind: fc.constantFrom<'user' | 'group'>('user', 'user', 'group'), index: fc.nat({ max: 40 }) });
const userRef = fc.nat({ max: 40 }).map((index): Ref => ({ kind: 'user', index }));
const groupRef = fc.nat({ max: 40 }).map((index): Ref => ({ kind: 'group', index }));

/** The id a reference names: one of the model's, or (one time in eight) an id no one has. */
function resolve(model: Model, target: Ref): string {
  const list = target.kind === 'user' ? model.users : model.groups;
  if (list.length === 0 || target.index % 8 === 7) return UNKNOWN_ID;
  return list[target.index % list.length]?.id ?? UNKNOWN_ID;
}

function isLive(model: Model, id: string): boolean {
  return model.users.some((user) => user.id === id && !user.deleted) || model.groups.some((group) => group.id === id && !group.deleted);
}

/** Whether `target` is `member` or is reachable from it through group memberships. */
function reaches(model: Model, member: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = [member];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const group = model.groups.find((candidate) => candidate.id === id && !candidate.deleted);
    if (group !== undefined) stack.push(...group.members);
  }
  return false;
}

function expectStatus(reply: RawReply, allowed: readonly number[], label: string): void {
  assertScimAnswer(reply, label);
  assert.ok(allowed.includes(reply.status), `${label}: expected ${allowed.join(' or ')}, got ${reply.status} ${reply.text.slice(0, 300)}`);
}

function removeEverywhere(model: Model, id: string): void {
  for (const group of model.groups) group.members.delete(id);
}

class CreateUser implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly userName: string,
    readonly title: string | undefined,
    readonly active: boolean,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const key = fold(this.userName);
    const live = liveUsers(model).find((user) => fold(user.userName) === key);
    const archived = model.users.find((user) => user.deleted && fold(user.userName) === key);
    const reply = await real.scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: this.userName, active: this.active, ...(this.title === undefined ? {} : { title: this.title }) });
    const label = this.toString();
    if (live !== undefined) return expectStatus(reply, [409], label);
    expectStatus(reply, [201], label);
    const id = String(reply.json.id);
    if (archived !== undefined) {
      // An archived user with this userName comes back under its old id, as the body says.
      assert.equal(id, archived.id, `${label}: restores the archived user`);
      Object.assign(archived, { userName: this.userName, title: this.title, active: this.active, deleted: false });
    } else {
      model.users.push({ id, userName: this.userName, title: this.title, active: this.active, deleted: false });
    }
  }
  toString = (): string => `POST /Users ${this.userName} title=${String(this.title)} active=${this.active}`;
}

class PatchUser implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly target: Ref,
    readonly change: { readonly title: string | null } | { readonly active: boolean; readonly dialect: 'entra' | 'okta' },
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = resolve(model, this.target);
    const user = liveUsers(model).find((candidate) => candidate.id === id);
    let operations: unknown[];
    if ('title' in this.change) {
      operations = this.change.title === null ? [{ op: 'remove', path: 'title' }] : [{ op: 'Replace', path: 'title', value: this.change.title }];
    } else {
      // Entra sends booleans as strings with a capitalised op; Okta a value object without a path.
      operations = this.change.dialect === 'entra' ? [{ op: 'Replace', path: 'active', value: this.change.active ? 'True' : 'False' }] : [{ op: 'replace', value: { active: this.change.active } }];
    }
    const reply = await real.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: operations });
    if (user === undefined) return expectStatus(reply, [404], this.toString());
    expectStatus(reply, [200], this.toString());
    if ('title' in this.change) user.title = this.change.title ?? undefined;
    else user.active = this.change.active;
  }
  toString = (): string => `PATCH /Users/${JSON.stringify(this.target)} ${JSON.stringify(this.change)}`;
}

class PutUser implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly target: Ref,
    readonly userName: string,
    readonly title: string | undefined,
    readonly active: boolean,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = resolve(model, this.target);
    const user = liveUsers(model).find((candidate) => candidate.id === id);
    const reply = await real.scim('PUT', `/Users/${id}`, { schemas: [USER_SCHEMA], userName: this.userName, active: this.active, ...(this.title === undefined ? {} : { title: this.title }) });
    if (user === undefined) return expectStatus(reply, [404], this.toString());
    const clash = liveUsers(model).some((other) => other.id !== id && fold(other.userName) === fold(this.userName));
    if (clash) return expectStatus(reply, [409], this.toString());
    expectStatus(reply, [200], this.toString());
    // PUT replaces: an attribute the body leaves out is cleared (RFC 7644 §3.5.1).
    Object.assign(user, { userName: this.userName, title: this.title, active: this.active });
  }
  toString = (): string => `PUT /Users/${JSON.stringify(this.target)} ${this.userName} title=${String(this.title)} active=${this.active}`;
}

class DeleteResource implements fc.AsyncCommand<Model, Real> {
  constructor(readonly target: Ref) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = resolve(model, this.target);
    const endpoint = this.target.kind === 'user' ? '/Users' : '/Groups';
    const reply = await real.scim('DELETE', `${endpoint}/${id}`);
    const entry = (this.target.kind === 'user' ? model.users : model.groups).find((candidate) => candidate.id === id && !candidate.deleted);
    if (entry === undefined) return expectStatus(reply, [404], this.toString());
    expectStatus(reply, [204], this.toString());
    entry.deleted = true;
    // A deleted user or group leaves every group it was a member of.
    removeEverywhere(model, id);
  }
  toString = (): string => `DELETE ${JSON.stringify(this.target)}`;
}

/** Why a set of members cannot go into `groupId` (undefined: it can). */
function membershipsRefused(model: Model, groupId: string | undefined, members: readonly string[]): 'unknown' | 'cycle' | undefined {
  if (members.some((member) => !isLive(model, member))) return 'unknown';
  if (groupId !== undefined && members.some((member) => reaches(model, member, groupId))) return 'cycle';
  return undefined;
}

class CreateGroup implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly displayName: string,
    readonly members: readonly Ref[],
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const members = [...new Set(this.members.map((member) => resolve(model, member)))];
    const reply = await real.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: this.displayName, members: members.map((value) => ({ value })) });
    const clash = liveGroups(model).some((group) => fold(group.displayName) === fold(this.displayName));
    const refused = membershipsRefused(model, undefined, members);
    if (clash || refused !== undefined) return expectStatus(reply, [...(clash ? [409] : []), ...(refused === undefined ? [] : [400])], this.toString());
    expectStatus(reply, [201], this.toString());
    model.groups.push({ id: String(reply.json.id), displayName: this.displayName, members: new Set(members), deleted: false });
  }
  toString = (): string => `POST /Groups ${this.displayName} members=${JSON.stringify(this.members)}`;
}

class PatchGroupMemberships implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly target: Ref,
    readonly op: 'add' | 'remove' | 'removeByFilter',
    readonly members: readonly Ref[],
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = resolve(model, this.target);
    const members = [...new Set(this.members.map((member) => resolve(model, member)))];
    const operations =
      this.op === 'add'
        ? [{ op: 'Add', path: 'members', value: members.map((value) => ({ value })) }]
        : this.op === 'remove'
          ? [{ op: 'Remove', path: 'members', value: members.map((value) => ({ value })) }]
          : members.map((value) => ({ op: 'remove', path: `members[value eq "${value}"]` }));
    const reply = await real.scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: operations });
    const group = liveGroups(model).find((candidate) => candidate.id === id);
    if (group === undefined) return expectStatus(reply, [404], this.toString());
    if (this.op === 'add') {
      // Adding a member already there changes nothing; an unknown one or a cycle refuses the whole PATCH.
      const refused = membershipsRefused(model, id, members.filter((member) => !group.members.has(member)));
      if (refused !== undefined) return expectStatus(reply, [400], `${this.toString()} (${refused})`);
      expectStatus(reply, [200, 204], this.toString());
      for (const member of members) group.members.add(member);
      return;
    }
    // Removing a non-member changes nothing and succeeds (RFC 7644 §3.5.2.2).
    expectStatus(reply, [200, 204], this.toString());
    for (const member of members) group.members.delete(member);
  }
  toString = (): string => `PATCH /Groups/${JSON.stringify(this.target)} ${this.op} ${JSON.stringify(this.members)}`;
}

class PutGroup implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly target: Ref,
    readonly displayName: string,
    readonly members: readonly Ref[],
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = resolve(model, this.target);
    const members = [...new Set(this.members.map((member) => resolve(model, member)))];
    const reply = await real.scim('PUT', `/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: this.displayName, members: members.map((value) => ({ value })) });
    const group = liveGroups(model).find((candidate) => candidate.id === id);
    if (group === undefined) return expectStatus(reply, [404], this.toString());
    const clash = liveGroups(model).some((other) => other.id !== id && fold(other.displayName) === fold(this.displayName));
    const refused = membershipsRefused(model, id, members);
    if (clash || refused !== undefined) return expectStatus(reply, [...(clash ? [409] : []), ...(refused === undefined ? [] : [400])], `${this.toString()} (${String(refused)})`);
    expectStatus(reply, [200], this.toString());
    group.displayName = this.displayName;
    group.members = new Set(members);
  }
  toString = (): string => `PUT /Groups/${JSON.stringify(this.target)} ${this.displayName} members=${JSON.stringify(this.members)}`;
}

/** Reads everything the tenant has and compares it with the model. */
async function assertSameState(model: Model, real: Real): Promise<void> {
  const users = await real.scim('GET', '/Users?count=1000');
  assert.equal(users.status, 200);
  const stored = (users.json.Resources as { id: string; userName: string; title?: string; active: boolean }[])
    .map((user) => ({ id: user.id, userName: user.userName, title: user.title, active: user.active }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const expected = liveUsers(model)
    .map((user) => ({ id: user.id, userName: user.userName, title: user.title, active: user.active }))
    .sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(stored, expected, 'users');
  const groups = await real.scim('GET', '/Groups?count=1000');
  assert.equal(groups.status, 200);
  const storedGroups = (groups.json.Resources as { id: string; displayName: string; members?: { value: string }[] }[])
    .map((group) => ({ id: group.id, displayName: group.displayName, members: (group.members ?? []).map((member) => member.value).sort() }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const expectedGroups = liveGroups(model)
    .map((group) => ({ id: group.id, displayName: group.displayName, members: [...group.members].sort() }))
    .sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(storedGroups, expectedGroups, 'groups and memberships');
  // Deleted resources answer 404 to every read (RFC 7644 §3.6).
  for (const user of model.users.filter((candidate) => candidate.deleted)) assert.equal((await real.scim('GET', `/Users/${user.id}`)).status, 404);
}

class CheckState implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  run = (model: Model, real: Real): Promise<void> => assertSameState(model, real);
  toString = (): string => 'check state';
}

const title = fc.option(fc.constantFrom('Engineer', 'Boss', 'Ünïcödé ✓'), { nil: undefined });
const members = fc.array(ref, { maxLength: 3 });
const commands = [
  fc.tuple(fc.constantFrom(...USER_NAMES), title, fc.boolean()).map(([userName, t, active]) => new CreateUser(userName, t, active)),
  fc.tuple(userRef, fc.oneof(fc.record({ title: fc.option(fc.constantFrom('Lead', 'Intern'), { nil: null }) }), fc.record({ active: fc.boolean(), dialect: fc.constantFrom<'entra' | 'okta'>('entra', 'okta') }))).map(([target, change]) => new PatchUser(target, change)),
  fc.tuple(userRef, fc.constantFrom(...USER_NAMES), title, fc.boolean()).map(([target, userName, t, active]) => new PutUser(target, userName, t, active)),
  fc.oneof(userRef, groupRef).map((target) => new DeleteResource(target)),
  fc.tuple(fc.constantFrom(...GROUP_NAMES), members).map(([name, list]) => new CreateGroup(name, list)),
  fc.tuple(groupRef, fc.constantFrom<'add' | 'remove' | 'removeByFilter'>('add', 'add', 'remove', 'removeByFilter'), fc.array(ref, { minLength: 1, maxLength: 3 })).map(([target, op, list]) => new PatchGroupMemberships(target, op, list)),
  fc.tuple(groupRef, fc.constantFrom(...GROUP_NAMES), members).map(([target, name, list]) => new PutGroup(target, name, list)),
  fc.constant(new CheckState()),
];

for (const engine of testEngines()) {
  describe(`model-based fuzzing of SCIM writes on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('answers every write as the reference model predicts, and stores what the model holds', { timeout: LONG_RUN ? Infinity : 180_000 }, async () => {
      let tenants = 0;
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (sequence) => {
          // Each sequence runs on a tenant of its own, so runs do not see each other's data.
          tenants += 1;
          const { tenantId, token } = await server.addTenant(`Model ${tenants}`);
          const real: Real = {
            async scim(method, path, body) {
              const reply = await send(server.app, {
                method,
                url: `/scim/v2/${tenantId}${path}`,
                headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
                ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
              });
              return { ...reply, json: reply.text === '' ? {} : (JSON.parse(reply.text) as Record<string, unknown>) };
            },
          };
          const model: Model = { users: [], groups: [] };
          await fc.asyncModelRun(() => ({ model, real }), sequence);
          await assertSameState(model, real);
        }),
        fuzzParameters(engine.name === 'postgres' ? 15 : 25),
      );
    });
  });
}
