import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseRegistry, groupResourceType, userResourceType } from '../../src/schema/registry.js';
import { ScimError, type ScimType } from '../../src/scim/errors.js';
import type { JsonObject } from '../../src/scim/json.js';
import { applyPatch, readPatchRequest, type PatchOptions, type PatchResult } from '../../src/scim/patch/index.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const users: PatchOptions = { registry: baseRegistry, resourceType: userResourceType, strict: false };
const groups: PatchOptions = { registry: baseRegistry, resourceType: groupResourceType, strict: false };

function patch(resource: JsonObject, operations: object[], options: PatchOptions = users): PatchResult {
  return applyPatch(resource, readPatchRequest({ schemas: [PATCH_OP], Operations: operations }), options);
}

function patched(resource: JsonObject, operations: object[], options: PatchOptions = users): JsonObject {
  return patch(resource, operations, options).resource;
}

function fails(resource: JsonObject, operations: object[], scimType: ScimType, detail: RegExp, options: PatchOptions = users): void {
  assert.throws(
    () => patch(resource, operations, options),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, 'a ScimError');
      assert.equal(error.status, 400);
      assert.equal(error.scimType, scimType);
      assert.match(error.detail, detail);
      return true;
    },
  );
}

const ada: JsonObject = {
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Byron' },
  title: 'Countess',
  emails: [
    { value: 'ada@work.example', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  [ENTERPRISE]: { department: 'R&D', manager: { value: 'u-9', displayName: 'Charles' } },
};

describe('applyPatch paths', () => {
  it('addresses a simple attribute', () => {
    assert.equal(patched(ada, [{ op: 'replace', path: 'title', value: 'Analyst' }]).title, 'Analyst');
  });

  it('addresses a sub-attribute and creates its parent when missing', () => {
    assert.deepEqual(patched({ userName: 'x' }, [{ op: 'add', path: 'name.givenName', value: 'Ada' }]).name, { givenName: 'Ada' });
  });

  it('addresses a core attribute qualified by the core schema URN', () => {
    const out = patched(ada, [{ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:userName', value: 'ada@new.example' }]);
    assert.equal(out.userName, 'ada@new.example');
  });

  it('addresses URN-qualified extension attributes and their sub-attributes', () => {
    const out = patched(ada, [
      { op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: '1042' },
      { op: 'replace', path: `${ENTERPRISE}:manager.value`, value: 'u-10' },
    ]);
    assert.deepEqual(out[ENTERPRISE], { department: 'R&D', employeeNumber: '1042', manager: { value: 'u-10', displayName: 'Charles' } });
  });

  it('addresses a bare extension URN whose value is an object of extension attributes', () => {
    const out = patched(ada, [{ op: 'add', path: ENTERPRISE, value: { costCenter: 'C1', department: 'Ops' } }]);
    assert.deepEqual(out[ENTERPRISE], { department: 'Ops', costCenter: 'C1', manager: { value: 'u-9', displayName: 'Charles' } });
  });

  it('removes the whole extension object through a bare extension URN', () => {
    assert.equal(patched(ada, [{ op: 'remove', path: ENTERPRISE }])[ENTERPRISE], undefined);
  });

  it('matches attribute and sub-attribute names case-insensitively', () => {
    const out = patched(ada, [
      { op: 'replace', path: 'NAME.GIVENNAME', value: 'Augusta' },
      { op: 'replace', path: 'Emails[Type eq "home"].Value', value: 'augusta@home.example' },
    ]);
    assert.deepEqual(out.name, { givenName: 'Augusta', familyName: 'Byron' });
    assert.deepEqual(out.emails, [
      { value: 'ada@work.example', type: 'work', primary: true },
      { value: 'augusta@home.example', type: 'home' },
    ]);
  });

  it('rejects an unparsable path with invalidPath naming the operation and the path', () => {
    fails(ada, [{ op: 'add', path: 'title', value: 'x' }, { op: 'replace', path: 'emails[type eq "work"', value: 'x' }], 'invalidPath', /^Operations\[1\]: Invalid path "emails\[type eq "work""/);
    fails(ada, [{ op: 'replace', path: 'emails[type eq "work"].', value: 'x' }], 'invalidPath', /^Operations\[0\]/);
  });

  it('rejects unknown attributes and sub-attributes with invalidPath', () => {
    fails(ada, [{ op: 'replace', path: 'shoeSize', value: '9' }], 'invalidPath', /^Operations\[0\]: Path "shoeSize"/);
    fails(ada, [{ op: 'replace', path: 'name.nickName', value: 'x' }], 'invalidPath', /^Operations\[0\]: Path "name.nickName"/);
    fails(ada, [{ op: 'replace', path: 'emails[type eq "work"].colour', value: 'x' }], 'invalidPath', /no sub-attribute "colour"/);
    fails(ada, [{ op: 'remove', path: 'urn:example:unknown:2.0:User:x' }], 'invalidPath', /^Operations\[0\]/);
  });

  it('rejects a value filter on an attribute that is not multi-valued complex', () => {
    fails(ada, [{ op: 'remove', path: 'name[givenName eq "Ada"]' }], 'invalidPath', /multi-valued complex/);
  });

  it('rejects filters on unknown sub-attributes or with mistyped literals with invalidFilter', () => {
    fails(ada, [{ op: 'remove', path: 'emails[colour eq "red"]' }], 'invalidFilter', /^Operations\[0\]: .*"colour"/);
    fails(ada, [{ op: 'remove', path: 'emails[primary eq 1]' }], 'invalidFilter', /primary/);
  });
});

describe('applyPatch add', () => {
  it('replaces a single-valued attribute', () => {
    assert.equal(patched(ada, [{ op: 'add', path: 'title', value: 'Analyst' }]).title, 'Analyst');
  });

  it('appends to a multi-valued attribute', () => {
    const out = patched(ada, [{ op: 'add', path: 'emails', value: [{ value: 'ada@other.example', type: 'other' }] }]);
    assert.deepEqual(out.emails, [...(ada.emails as JsonObject[]), { value: 'ada@other.example', type: 'other' }]);
  });

  it('adds a value already present without change', () => {
    const result = patch(ada, [{ op: 'add', path: 'emails', value: [{ value: 'ADA@home.example', type: 'home' }] }]);
    assert.equal(result.changed, false);
    assert.deepEqual(result.resource, ada);
  });

  it('merges new sub-attributes into an equal value instead of duplicating it', () => {
    const out = patched(ada, [{ op: 'add', path: 'emails', value: [{ value: 'ada@home.example', type: 'home', display: 'Home' }] }]);
    assert.deepEqual(out.emails, [
      { value: 'ada@work.example', type: 'work', primary: true },
      { value: 'ada@home.example', type: 'home', display: 'Home' },
    ]);
  });

  it('merges sub-attributes into a single-valued complex attribute', () => {
    assert.deepEqual(patched(ada, [{ op: 'add', path: 'name', value: { middleName: 'King' } }]).name, { givenName: 'Ada', familyName: 'Byron', middleName: 'King' });
  });

  it('adds path-less attributes, merging multi-valued ones', () => {
    const out = patched(ada, [{ op: 'add', value: { nickName: 'Countess', emails: [{ value: 'a@b.example', type: 'other' }] } }]);
    assert.equal(out.nickName, 'Countess');
    assert.equal((out.emails as JsonObject[]).length, 3);
  });

  it('adds nothing for an empty array', () => {
    assert.equal(patch(ada, [{ op: 'add', path: 'emails', value: [] }]).changed, false);
  });

  it('merges an object into the records a value filter matches', () => {
    const out = patched(ada, [{ op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home', primary: true } }]);
    assert.deepEqual(out.emails, [
      { value: 'ada@work.example', type: 'work', primary: false },
      { value: 'ada@home.example', type: 'home', display: 'Home', primary: true },
    ]);
  });

  it('ignores operations on schemas, which Roster derives', () => {
    assert.equal(patch(ada, [{ op: 'add', path: 'schemas', value: [ENTERPRISE] }]).changed, false);
  });

  it('sets a sub-attribute on every element for attr.sub on a multi-valued attribute', () => {
    const out = patched(ada, [{ op: 'add', path: 'emails.display', value: 'Ada' }]);
    assert.deepEqual((out.emails as JsonObject[]).map((email) => email.display), ['Ada', 'Ada']);
  });
});

describe('applyPatch replace', () => {
  it('replaces a single-valued attribute', () => {
    assert.equal(patched(ada, [{ op: 'replace', path: 'title', value: 'Analyst' }]).title, 'Analyst');
  });

  it('replaces all values of a multi-valued attribute without filter', () => {
    const out = patched(ada, [{ op: 'replace', path: 'emails', value: [{ value: 'only@example.com', type: 'work' }] }]);
    assert.deepEqual(out.emails, [{ value: 'only@example.com', type: 'work' }]);
  });

  it('replaces the given sub-attributes of a complex attribute and keeps the others', () => {
    assert.deepEqual(patched(ada, [{ op: 'replace', path: 'name', value: { givenName: 'Augusta' } }]).name, { givenName: 'Augusta', familyName: 'Byron' });
  });

  it('unassigns sub-attributes a replace value sets to null', () => {
    assert.deepEqual(patched(ada, [{ op: 'replace', path: 'name', value: { givenName: null, middleName: 'K' } }]).name, { familyName: 'Byron', middleName: 'K' });
  });

  it('unassigns the target when the value is null', () => {
    const out = patched(ada, [{ op: 'replace', path: 'title', value: null }, { op: 'replace', path: 'name', value: null }]);
    assert.equal(out.title, undefined);
    assert.equal(out.name, undefined);
  });

  it('treats a missing target as add', () => {
    assert.equal(patched({ userName: 'x' }, [{ op: 'replace', path: 'nickName', value: 'N' }]).nickName, 'N');
  });

  it('replaces the records a value filter matches', () => {
    const out = patched(ada, [{ op: 'replace', path: 'emails[type eq "home"]', value: { value: 'new@home.example', type: 'home' } }]);
    assert.deepEqual(out.emails, [
      { value: 'ada@work.example', type: 'work', primary: true },
      { value: 'new@home.example', type: 'home' },
    ]);
  });

  it('replaces the sub-attribute of every matching record', () => {
    const out = patched(ada, [{ op: 'replace', path: 'emails[value ew ".example"].display', value: 'Ada' }]);
    assert.deepEqual((out.emails as JsonObject[]).map((email) => email.display), ['Ada', 'Ada']);
  });

  it('fails with noTarget when a non-eq filter matches nothing', () => {
    fails(ada, [{ op: 'replace', path: 'emails[value co "nobody"].display', value: 'x' }], 'noTarget', /^Operations\[0\]: No value of "emails" matches path "emails\[value co "nobody"\].display"/);
    fails(ada, [{ op: 'replace', path: 'emails[type eq "other" or type eq "x"].value', value: 'x' }], 'noTarget', /^Operations\[0\]/);
    fails(ada, [{ op: 'add', path: 'emails[type ne "work" and type ne "home"].value', value: 'x' }], 'noTarget', /^Operations\[0\]/);
  });

  it('creates a record from an eq filter that matches nothing', () => {
    const out = patched(ada, [{ op: 'replace', path: 'emails[type eq "other"]', value: { value: 'o@example.com' } }]);
    assert.deepEqual((out.emails as JsonObject[])[2], { type: 'other', value: 'o@example.com' });
  });

  it('replaces path-less attributes, replacing multi-valued ones', () => {
    const out = patched(ada, [{ op: 'replace', value: { title: 'Analyst', emails: [{ value: 'x@example.com' }] } }]);
    assert.equal(out.title, 'Analyst');
    assert.deepEqual(out.emails, [{ value: 'x@example.com' }]);
  });

  it('rejects a path-less value that is not an object', () => {
    fails(ada, [{ op: 'replace', value: 'Analyst' }], 'invalidValue', /^Operations\[0\]: "replace" without a path/);
    fails(ada, [{ op: 'add', value: [{ title: 'x' }] }], 'invalidValue', /^Operations\[0\]/);
  });
});

describe('applyPatch remove', () => {
  it('unassigns a single-valued attribute', () => {
    assert.equal(patched(ada, [{ op: 'remove', path: 'title' }]).title, undefined);
  });

  it('removes every value of a multi-valued attribute without filter', () => {
    assert.equal(patched(ada, [{ op: 'remove', path: 'emails' }]).emails, undefined);
  });

  it('removes the values a filter matches', () => {
    assert.deepEqual(patched(ada, [{ op: 'remove', path: 'emails[type eq "home"]' }]).emails, [{ value: 'ada@work.example', type: 'work', primary: true }]);
  });

  it('unassigns the attribute when no value remains', () => {
    const out = patched(ada, [{ op: 'remove', path: 'emails[type eq "home"]' }, { op: 'remove', path: 'emails[type eq "work"]' }]);
    assert.equal('emails' in out, false);
  });

  it('removes a sub-attribute of a complex attribute, and the attribute with its last one', () => {
    assert.deepEqual(patched(ada, [{ op: 'remove', path: 'name.givenName' }]).name, { familyName: 'Byron' });
    assert.equal(patched(ada, [{ op: 'remove', path: 'name.givenName' }, { op: 'remove', path: 'name.familyName' }]).name, undefined);
  });

  it('removes a sub-attribute from the matching records only', () => {
    const out = patched(ada, [{ op: 'remove', path: 'emails[type eq "work"].primary' }]);
    assert.deepEqual(out.emails, [
      { value: 'ada@work.example', type: 'work' },
      { value: 'ada@home.example', type: 'home' },
    ]);
  });

  it('succeeds without change when a filter matches nothing', () => {
    const result = patch(ada, [{ op: 'remove', path: 'emails[type eq "other"]' }]);
    assert.equal(result.changed, false);
  });

  it('leaves no empty extension object behind', () => {
    const out = patched(ada, [{ op: 'remove', path: `${ENTERPRISE}:department` }, { op: 'remove', path: 'manager' }]);
    assert.equal(ENTERPRISE in out, false);
  });

  it('removes the values a remove value names', () => {
    const out = patched(ada, [{ op: 'remove', path: 'emails', value: [{ value: 'ada@home.example' }] }]);
    assert.deepEqual(out.emails, [{ value: 'ada@work.example', type: 'work', primary: true }]);
  });

  it('removes Group members by filter when members are not deferred', () => {
    const group: JsonObject = { displayName: 'G', members: [{ value: 'u-1' }, { value: 'u-2' }] };
    assert.deepEqual(patched(group, [{ op: 'remove', path: 'members[value eq "u-1"]' }], groups).members, [{ value: 'u-2' }]);
  });
});
