// Known IdP pitfalls that broke other SCIM servers, and the IdP rules (T1–T20,
// docs/idp-rules.md) that no recorded flow exercises fully. Each pitfall is its own test.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA, assertScimError, startServer, userBody, type Json, type ScimResponse, type TestServer } from '../support/scim-client.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MANAGER = `${ENTERPRISE}:manager`;

function patchOp(...operations: Json[]): Json {
  return { schemas: [PATCH_OP], Operations: operations };
}

function filterPath(resource: 'Users' | 'Groups', filter: string, extra = ''): string {
  return `/${resource}?filter=${encodeURIComponent(filter)}${extra}`;
}

function membershipIds(body: Json): string[] {
  return ((body.members as Json[] | undefined) ?? []).map((member) => String(member.value)).sort();
}

function groupIds(body: Json): string[] {
  return ((body.groups as Json[] | undefined) ?? []).map((group) => String(group.value)).sort();
}

function meta(body: Json): Json {
  return body.meta as Json;
}

function enterprise(body: Json): Json | undefined {
  return body[ENTERPRISE] as Json | undefined;
}

function expectStatus(response: ScimResponse, status: number): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`);
}

for (const engine of testEngines()) {
  describe(`IdP pitfalls on ${engine.name}`, () => {
    let server: TestServer;
    let serial = 0;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    /** A new user with a unique userName; returns its id. */
    async function createUser(extra: Json = {}): Promise<string> {
      serial += 1;
      const response = await server.request('POST', '/Users', userBody(`user${serial}@pitfalls.example`, extra));
      expectStatus(response, 201);
      return String(response.body.id);
    }

    async function createUsers(count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) ids.push(await createUser());
      return ids;
    }

    async function createGroup(displayName: string, members: readonly string[] = []): Promise<string> {
      const response = await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ value })) });
      expectStatus(response, 201);
      return String(response.body.id);
    }

    async function readGroup(id: string): Promise<Json> {
      const response = await server.request('GET', `/Groups/${id}`);
      expectStatus(response, 200);
      return response.body;
    }

    async function readUser(id: string): Promise<Json> {
      const response = await server.request('GET', `/Users/${id}`);
      expectStatus(response, 200);
      return response.body;
    }

    async function patch(resource: 'Users' | 'Groups', id: string, ...operations: Json[]): Promise<ScimResponse> {
      return server.request('PATCH', `/${resource}/${id}`, patchOp(...operations));
    }

    async function eventCount(): Promise<number> {
      return (await server.store.read.events.list(server.tenantId, 0, 100_000)).length;
    }

    describe('Okta Group Push', () => {
      let users: string[];
      before(async () => {
        users = await createUsers(300);
      });

      it('Okta Group Push: 256 members in one PATCH are all added', async () => {
        const group = await createGroup('Push 256');
        const pushed = users.slice(0, 256);
        const response = await patch('Groups', group, { op: 'add', path: 'members', value: pushed.map((value, index) => ({ value, display: `user ${index}` })) });
        expectStatus(response, 204);
        assert.deepEqual(membershipIds(await readGroup(group)), [...pushed].sort());
        for (const id of [pushed[0], pushed[255]]) assert.deepEqual(groupIds(await readUser(String(id))), [group]);
      });

      it('Okta Group Push: one PATCH with 128 removes by filter path and 128 adds applies all 256 operations', async () => {
        const group = await createGroup('Push 256 operations', users.slice(0, 128));
        const operations: Json[] = [
          ...users.slice(0, 128).map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
          ...users.slice(128, 256).map((id) => ({ op: 'add', path: 'members', value: [{ value: id }] })),
        ];
        expectStatus(await patch('Groups', group, ...operations), 204);
        assert.deepEqual(membershipIds(await readGroup(group)), users.slice(128, 256).sort());
      });

      it('Okta Group Push: a full push replacing 256 members leaves exactly the pushed set', async () => {
        const group = await createGroup('Push replace', users.slice(0, 256));
        const pushed = users.slice(44, 300);
        expectStatus(await patch('Groups', group, { op: 'replace', path: 'members', value: pushed.map((value) => ({ value })) }), 204);
        assert.deepEqual(membershipIds(await readGroup(group)), [...pushed].sort());
        assert.ok(!groupIds(await readUser(String(users[0]))).includes(group), 'a member left out of the push lost the group');
        assert.ok(groupIds(await readUser(String(users[299]))).includes(group), 'a pushed member has the group');
      });

      it('Okta Group Push: members inside POST /Groups are applied, as a set', async () => {
        const [a, b] = [String(users[0]), String(users[1])];
        const response = await server.request('POST', '/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'Posted members',
          members: [{ value: a }, { value: b, display: 'b' }, { value: a, display: 'a again' }, { value: b, $ref: null }],
        });
        expectStatus(response, 201);
        assert.deepEqual(membershipIds(response.body), [a, b].sort());
        assert.deepEqual(membershipIds(await readGroup(String(response.body.id))), [a, b].sort());
      });

      it('Okta Group Push (AIW): members inside PUT /Groups replace the membership, as a set', async () => {
        const [a, b, c] = [String(users[0]), String(users[1]), String(users[2])];
        const group = await createGroup('Put members', [a, b]);
        const response = await server.request('PUT', `/Groups/${group}`, {
          schemas: [GROUP_SCHEMA],
          displayName: 'Put members',
          members: [{ value: b, display: 'b' }, { value: c }, { value: c, display: 'c again' }],
        });
        expectStatus(response, 200);
        assert.deepEqual(membershipIds(response.body), [b, c].sort());
        assert.deepEqual(membershipIds(await readGroup(group)), [b, c].sort());
        assert.ok(!groupIds(await readUser(a)).includes(group));
      });
    });

    it('Entra: replace on phoneNumbers[type eq "work"].value creates the element when the user has none', async () => {
      const id = await createUser({ phoneNumbers: [{ type: 'mobile', value: '+44 7700 900123' }] });
      const response = await patch('Users', id, { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 7946 0123' });
      expectStatus(response, 200);
      const expected = [
        { type: 'mobile', value: '+44 7700 900123' },
        { type: 'work', value: '+44 20 7946 0123' },
      ];
      assert.deepEqual(response.body.phoneNumbers, expected);
      assert.deepEqual((await readUser(id)).phoneNumbers, expected, 'the created element is stored');
      // The next sync addresses the element it created: updated, not duplicated.
      const again = await patch('Users', id, { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 7946 0999' });
      expectStatus(again, 200);
      assert.deepEqual(again.body.phoneNumbers, [expected[0], { type: 'work', value: '+44 20 7946 0999' }]);
    });

    it('a Replace of members replaces exactly the listed members', async () => {
      const [a, b, c, d] = await createUsers(4);
      const group = await createGroup('Replace exactly', [String(a), String(b), String(c)]);
      expectStatus(await patch('Groups', group, { op: 'Replace', path: 'members', value: [{ value: b }, { value: d }] }), 204);
      assert.deepEqual(membershipIds(await readGroup(group)), [String(b), String(d)].sort());
    });

    it('a partial body never wipes a group: rename PATCHes and a PUT without members keep the members', async () => {
      const [a, b] = (await createUsers(2)).map(String);
      const group = await createGroup('Partial', [String(a), String(b)]);
      const both = [String(a), String(b)].sort();
      expectStatus(await patch('Groups', group, { op: 'Replace', path: 'displayName', value: 'Partial 2' }), 204);
      assert.deepEqual(membershipIds(await readGroup(group)), both, 'after Replace displayName');
      expectStatus(await patch('Groups', group, { op: 'replace', value: { id: group, displayName: 'Partial 3' } }), 204);
      assert.deepEqual(membershipIds(await readGroup(group)), both, 'after Okta\'s path-less rename');
      expectStatus(await patch('Groups', group, { op: 'replace', value: { displayName: 'Partial 4', externalId: 'ext-partial' } }), 204);
      assert.deepEqual(membershipIds(await readGroup(group)), both, 'after a path-less replace of other attributes');
      expectStatus(await server.request('PUT', `/Groups/${group}`, { schemas: [GROUP_SCHEMA], displayName: 'Partial 5' }), 200);
      const read = await readGroup(group);
      assert.equal(read.displayName, 'Partial 5');
      assert.deepEqual(membershipIds(read), both, 'after a PUT without members');
    });

    it('a PATCH that changes nothing succeeds without moving meta.lastModified or meta.version, and writes no event', async () => {
      const id = await createUser({ displayName: 'Same', active: true });
      const before = await readUser(id);
      const events = await eventCount();
      const response = await patch(
        'Users',
        id,
        { op: 'Replace', path: 'displayName', value: 'Same' },
        { op: 'Replace', path: 'active', value: 'True' },
        { op: 'replace', value: { active: true } },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: String((before.emails as Json[])[0]?.value) },
      );
      expectStatus(response, 200);
      assert.equal(meta(response.body).version, meta(before).version);
      assert.equal(meta(response.body).lastModified, meta(before).lastModified);
      assert.equal(response.headers.etag, meta(before).version);
      assert.deepEqual(await readUser(id), before);
      assert.equal(await eventCount(), events, 'no event for a change that changed nothing');
    });

    it('a group PATCH that changes nothing (Okta\'s rename on every update, a repeated add or remove) keeps the version', async () => {
      const [a, b] = (await createUsers(2)).map(String);
      const group = await createGroup('Unchanged', [String(a)]);
      const before = await readGroup(group);
      const events = await eventCount();
      const rename = await patch('Groups', group, { op: 'replace', value: { id: group, displayName: 'Unchanged' } });
      expectStatus(rename, 204);
      assert.equal(rename.headers.etag, meta(before).version);
      expectStatus(await patch('Groups', group, { op: 'add', path: 'members', value: [{ value: a }] }), 204);
      expectStatus(await patch('Groups', group, { op: 'remove', path: `members[value eq "${String(b)}"]` }), 204);
      expectStatus(await patch('Groups', group, { op: 'Remove', path: 'members', value: [{ value: b }] }), 204);
      const after = await readGroup(group);
      assert.equal(meta(after).version, meta(before).version);
      assert.equal(meta(after).lastModified, meta(before).lastModified);
      assert.deepEqual(membershipIds(after), [String(a)]);
      assert.equal(await eventCount(), events, 'no event for a change that changed nothing');
    });

    it('Entra: the enterprise manager as a bare string id (PATCH and POST)', async () => {
      const boss = await createUser();
      const id = await createUser({ [ENTERPRISE]: { department: 'R&D' } });
      const response = await patch('Users', id, { op: 'Add', path: MANAGER, value: boss });
      expectStatus(response, 200);
      assert.equal((enterprise(response.body)?.manager as Json | undefined)?.value, boss);
      assert.equal((enterprise(await readUser(id))?.manager as Json | undefined)?.value, boss, 'stored');
      const posted = await server.request('POST', '/Users', userBody('bare-manager@pitfalls.example', { [ENTERPRISE]: { manager: boss } }));
      expectStatus(posted, 201);
      assert.equal((enterprise(posted.body)?.manager as Json | undefined)?.value, boss);
    });

    it('Entra: the enterprise manager as an object { value }', async () => {
      const boss = await createUser();
      const id = await createUser();
      const response = await patch('Users', id, { op: 'Replace', path: MANAGER, value: { value: boss } });
      expectStatus(response, 200);
      assert.equal((enterprise(response.body)?.manager as Json | undefined)?.value, boss);
      // The no-path form with a URN-keyed object (T3) carries it too.
      const other = await createUser();
      const nested = await patch('Users', id, { op: 'replace', value: { [ENTERPRISE]: { manager: { value: other } } } });
      expectStatus(nested, 200);
      assert.equal((enterprise(nested.body)?.manager as Json | undefined)?.value, other);
    });

    it('Entra: removing the enterprise manager keeps the other enterprise attributes', async () => {
      const boss = await createUser();
      const id = await createUser({ [ENTERPRISE]: { department: 'R&D', manager: { value: boss } } });
      const response = await patch('Users', id, { op: 'Remove', path: MANAGER });
      expectStatus(response, 200);
      assert.deepEqual(enterprise(response.body), { department: 'R&D' });
      assert.deepEqual(enterprise(await readUser(id)), { department: 'R&D' });
      // Removing it again, as a retry does, still succeeds.
      expectStatus(await patch('Users', id, { op: 'Remove', path: MANAGER }), 200);
    });

    it('T8: the manager is returned as complex { value, $ref, displayName }', async () => {
      const boss = await createUser({ displayName: 'Charles Babbage' });
      const id = await createUser();
      const response = await patch('Users', id, { op: 'Add', path: MANAGER, value: boss });
      expectStatus(response, 200);
      assert.deepEqual(enterprise(response.body)?.manager, {
        value: boss,
        $ref: `https://roster.test${server.base}/Users/${boss}`,
        displayName: 'Charles Babbage',
      });
    });

    it('Entra: active as "False"/"True" strings, in any case, stored as booleans', async () => {
      const id = await createUser();
      for (const [value, expected] of [['False', false], ['True', true], ['false', false], ['TRUE', true]] as const) {
        const response = await patch('Users', id, { op: 'Replace', path: 'active', value });
        expectStatus(response, 200);
        assert.equal(response.body.active, expected, `"${value}"`);
        assert.equal((await readUser(id)).active, expected, `"${value}" stored`);
      }
      const posted = await server.request('POST', '/Users', userBody('string-active@pitfalls.example', { active: 'False' }));
      expectStatus(posted, 201);
      assert.equal(posted.body.active, false);
      const found = await server.request('GET', filterPath('Users', 'userName eq "string-active@pitfalls.example" and active eq false'));
      expectStatus(found, 200);
      assert.equal(found.body.totalResults, 1, 'stored as a boolean a filter on active finds');
      assertScimError(await patch('Users', id, { op: 'Replace', path: 'active', value: 'no' }), 400, 'invalidValue');
    });

    it('Entra: capitalised ops (Add, Replace, Remove) and ops in any case', async () => {
      const id = await createUser();
      const response = await patch(
        'Users',
        id,
        { op: 'Add', path: 'nickName', value: 'Nick' },
        { op: 'Replace', path: 'title', value: 'Engineer' },
        { op: 'ADD', path: 'preferredLanguage', value: 'en-GB' },
        { op: 'rePlace', path: 'displayName', value: 'Shown' },
        { op: 'Remove', path: 'nickName' },
      );
      expectStatus(response, 200);
      assert.equal(response.body.nickName, undefined);
      assert.equal(response.body.title, 'Engineer');
      assert.equal(response.body.preferredLanguage, 'en-GB');
      assert.equal(response.body.displayName, 'Shown');
      const wrong = await patch('Users', id, { op: 'Merge', path: 'title', value: 'x' });
      assertScimError(wrong, 400, 'invalidSyntax');
    });

    it('Entra: the filter emails[type eq "work"].value eq "x" finds the user', async () => {
      const id = await createUser({ emails: [{ type: 'home', value: 'home@pitfalls.example' }, { type: 'work', value: 'Work.Mail@pitfalls.example' }] });
      const response = await server.request('GET', filterPath('Users', 'emails[type eq "work"].value eq "work.mail@pitfalls.example"'));
      expectStatus(response, 200);
      assert.deepEqual(((response.body.Resources as Json[] | undefined) ?? []).map((user) => user.id), [id]);
      const home = await server.request('GET', filterPath('Users', 'emails[type eq "work"].value eq "home@pitfalls.example"'));
      expectStatus(home, 200);
      assert.equal(home.body.totalResults, 0, 'the home address is not the work address');
    });

    it('T16: the filter emails.value eq "x" finds the user', async () => {
      const id = await createUser({ emails: [{ type: 'other', value: 'other.mail@pitfalls.example' }] });
      const response = await server.request('GET', filterPath('Users', 'emails.value eq "other.mail@pitfalls.example"'));
      expectStatus(response, 200);
      assert.deepEqual(((response.body.Resources as Json[] | undefined) ?? []).map((user) => user.id), [id]);
    });

    it('Entra: excludedAttributes=members on group reads, lists and PATCH answers', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup('Excluded', [String(a)]);
      const read = await server.request('GET', `/Groups/${group}?excludedAttributes=members`);
      expectStatus(read, 200);
      assert.equal(read.body.members, undefined);
      assert.equal(read.body.displayName, 'Excluded');
      assert.equal(read.body.id, group);
      assert.equal(meta(read.body).resourceType, 'Group');
      const listed = await server.request('GET', filterPath('Groups', 'displayName eq "Excluded"', '&excludedAttributes=members'));
      expectStatus(listed, 200);
      assert.equal(listed.body.totalResults, 1);
      assert.equal(((listed.body.Resources as Json[])[0] as Json).members, undefined);
      const everything = await server.request('GET', '/Groups?excludedAttributes=members');
      expectStatus(everything, 200);
      assert.ok((everything.body.Resources as Json[]).every((item) => item.members === undefined));
      const patched = await server.request('PATCH', `/Groups/${group}?excludedAttributes=members`, patchOp({ op: 'Replace', path: 'displayName', value: 'Excluded 2' }));
      expectStatus(patched, 200);
      assert.equal(patched.body.displayName, 'Excluded 2');
      assert.equal(patched.body.members, undefined);
      assert.deepEqual(membershipIds(await readGroup(group)), [String(a)], 'the members are only hidden');
    });

    it('Entra matches groups on displayName: a duplicate displayName is refused with 409 uniqueness', async () => {
      // Entra ID matches groups on displayName, and JumpCloud takes over the group whose name
      // matches (docs/idp-rules.md). Two groups answering one displayName filter break both.
      await createGroup('Unique Name');
      assertScimError(await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Unique Name' }), 409, 'uniqueness');
      const other = await createGroup('Another Name');
      assertScimError(await patch('Groups', other, { op: 'Replace', path: 'displayName', value: 'unique name' }), 409, 'uniqueness');
      const found = await server.request('GET', filterPath('Groups', 'displayName eq "Unique Name"', '&excludedAttributes=members'));
      expectStatus(found, 200);
      assert.equal(found.body.totalResults, 1);
    });

    it('T19: soft-deleted (active=false) users stay readable by GET and by filter', async () => {
      const created = await server.request('POST', '/Users', userBody('inactive@pitfalls.example', { externalId: 'ext-inactive', active: false }));
      expectStatus(created, 201);
      const id = String(created.body.id);
      const disabled = await createUser({ externalId: 'ext-disabled' });
      expectStatus(await patch('Users', disabled, { op: 'Replace', path: 'active', value: 'False' }), 200);
      for (const user of [id, disabled]) assert.equal((await readUser(user)).active, false);
      for (const filter of ['userName eq "inactive@pitfalls.example"', 'externalId eq "ext-inactive"', `id eq "${id}"`]) {
        const response = await server.request('GET', filterPath('Users', filter));
        expectStatus(response, 200);
        assert.deepEqual(((response.body.Resources as Json[] | undefined) ?? []).map((user) => [user.id, user.active]), [[id, false]], filter);
      }
      const inactive = await server.request('GET', filterPath('Users', 'active eq false', '&count=1000'));
      expectStatus(inactive, 200);
      const ids = (inactive.body.Resources as Json[]).map((user) => user.id);
      assert.ok(ids.includes(id) && ids.includes(disabled), 'active eq false lists both');
    });

    it('T11: readOnly id, meta and groups in a PUT are ignored, not an error', async () => {
      const id = await createUser();
      const group = await createGroup('Real group', [id]);
      const other = await createGroup('Other group');
      const before = await readUser(id);
      const response = await server.request('PUT', `/Users/${id}`, {
        ...userBody(String(before.userName)),
        id: 'not-the-id',
        meta: { resourceType: 'Group', created: '2000-01-01T00:00:00Z', lastModified: '2000-01-01T00:00:00Z', version: 'W/"99"', location: 'https://evil.example/x' },
        groups: [{ value: other, display: 'Other group' }],
        title: 'Changed',
      });
      expectStatus(response, 200);
      assert.equal(response.body.id, id);
      assert.equal(response.body.title, 'Changed');
      assert.deepEqual(groupIds(response.body), [group], 'groups come from memberships, not from the body');
      const shown = meta(response.body);
      assert.equal(shown.resourceType, 'User');
      assert.equal(shown.created, meta(before).created);
      assert.notEqual(shown.version, 'W/"99"');
      assert.equal(shown.location, meta(before).location);
      assertScimError(await server.request('GET', '/Users/not-the-id'), 404);
      assert.deepEqual(membershipIds(await readGroup(other)), [], 'the groups sent did not add the user anywhere');
      // The same for a group: Okta's PUT echoes id and meta.
      const groupPut = await server.request('PUT', `/Groups/${group}`, { schemas: [GROUP_SCHEMA], id: 'not-the-group', meta: { resourceType: 'User' }, displayName: 'Real group' });
      expectStatus(groupPut, 200);
      assert.equal(groupPut.body.id, group);
      assert.equal(meta(groupPut.body).resourceType, 'Group');
    });

    it('T12: Okta\'s placeholder password is accepted, not stored, and never returned', async () => {
      const created = await server.request('POST', '/Users', userBody('password@pitfalls.example', { password: 'pl4ceh0lder' }));
      expectStatus(created, 201);
      const id = String(created.body.id);
      const answers: ScimResponse[] = [created];
      answers.push(await server.request('GET', `/Users/${id}`));
      answers.push(await server.request('GET', `/Users/${id}?attributes=password`));
      answers.push(await server.request('GET', filterPath('Users', 'userName eq "password@pitfalls.example"', '&attributes=userName,password')));
      answers.push(await server.request('PUT', `/Users/${id}`, userBody('password@pitfalls.example', { password: 'an0ther' })));
      answers.push(await patch('Users', id, { op: 'replace', path: 'password', value: 'th1rd' }));
      answers.push(await patch('Users', id, { op: 'replace', value: { password: 'f0urth' } }));
      for (const answer of answers) {
        assert.ok(answer.status === 200 || answer.status === 201, `${answer.status}: ${answer.text}`);
        assert.doesNotMatch(answer.text, /password"|pl4ceh0lder|an0ther|th1rd|f0urth/, answer.text);
      }
      const stored = await server.store.read.users.get(server.tenantId, id);
      assert.ok(stored !== undefined);
      assert.doesNotMatch(JSON.stringify(stored), /pl4ceh0lder|an0ther|th1rd|f0urth/, 'the password is not stored');
    });

    it('T13: an upper-cased userName filter finds the user (userName is not caseExact)', async () => {
      const created = await server.request('POST', '/Users', userBody('Grace.Hopper@pitfalls.example'));
      expectStatus(created, 201);
      for (const filter of ['userName eq "GRACE.HOPPER@PITFALLS.EXAMPLE"', 'userName eq "grace.hopper@pitfalls.example"', 'USERNAME EQ "Grace.Hopper@Pitfalls.Example"']) {
        const response = await server.request('GET', filterPath('Users', filter));
        expectStatus(response, 200);
        assert.deepEqual(((response.body.Resources as Json[] | undefined) ?? []).map((user) => user.id), [created.body.id], filter);
      }
    });

    it('T17: bodies as application/scim+json or application/json, with or without charset, or with no Content-Type; answers are application/scim+json', async () => {
      const variants: (string | undefined)[] = ['application/scim+json', 'application/scim+json; charset=utf-8', 'application/json', 'application/json; charset=utf-8', undefined];
      for (const [index, contentType] of variants.entries()) {
        const response = await server.app.inject({
          method: 'POST',
          url: `${server.base}/Users`,
          headers: { authorization: `Bearer ${server.token}`, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
          payload: JSON.stringify({ schemas: [USER_SCHEMA], userName: `content-type-${index}@pitfalls.example` }),
        });
        assert.equal(response.statusCode, 201, `${contentType ?? 'no Content-Type'}: ${response.body}`);
        assert.match(String(response.headers['content-type']), /^application\/scim\+json/);
      }
    });
  });
}
