import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attr } from '../../src/schema/attribute.js';
import { baseRegistry, groupResourceType, userResourceType } from '../../src/schema/registry.js';
import { ScimError, type ScimType } from '../../src/scim/errors.js';
import type { JsonObject } from '../../src/scim/json.js';
import { applyPatch, readPatchRequest, type PatchOptions, type PatchResult } from '../../src/scim/patch/index.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BADGE = 'urn:example:params:scim:schemas:extension:badge:2.0:User';
const users: PatchOptions = { registry: baseRegistry, resourceType: userResourceType, strict: false };
const groups: PatchOptions = { registry: baseRegistry, resourceType: groupResourceType, strict: false };

/** A tenant extension with an immutable attribute and an immutable sub-attribute. */
const badgeRegistry = baseRegistry.withExtensions([
  {
    schema: {
      id: BADGE,
      name: 'Badge',
      description: 'Badge',
      attributes: [
        attr.string('badgeId', { mutability: 'immutable' }),
        attr.complex('card', [attr.string('serial', { mutability: 'immutable' }), attr.string('colour')]),
      ],
    },
    resourceType: 'User',
    required: false,
  },
]);
const badgeUsers: PatchOptions = { registry: badgeRegistry, resourceType: badgeRegistry.resourceType('User') ?? userResourceType, strict: false };

function patch(resource: JsonObject, operations: object[], options: PatchOptions = users): PatchResult {
  return applyPatch(resource, readPatchRequest({ schemas: [PATCH_OP], Operations: operations }), options);
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
  name: { givenName: 'Ada' },
  emails: [
    { value: 'ada@work.example', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  [ENTERPRISE]: { manager: { value: 'u-9', displayName: 'Charles' } },
};

describe('applyPatch mutability', () => {
  it('rejects explicit paths to readOnly attributes with mutability', () => {
    fails(ada, [{ op: 'replace', path: 'id', value: 'u-2' }], 'mutability', /^Operations\[0\]: "id" is readOnly/);
    fails(ada, [{ op: 'replace', path: 'meta.created', value: '2024-01-01T00:00:00Z' }], 'mutability', /^Operations\[0\]: "meta.created"/);
    fails(ada, [{ op: 'add', path: 'groups', value: [{ value: 'g-1' }] }], 'mutability', /"groups" is readOnly/);
    fails(ada, [{ op: 'remove', path: 'groups' }], 'mutability', /"groups" is readOnly/);
    fails(ada, [{ op: 'replace', path: `${ENTERPRISE}:manager.displayName`, value: 'x' }], 'mutability', /manager.displayName" is readOnly/);
  });

  it('ignores readOnly keys inside a path-less value', () => {
    const result = patch(ada, [{ op: 'replace', value: { id: 'u-2', meta: { created: 'x' }, groups: [{ value: 'g' }], nickName: 'A' } }]);
    assert.deepEqual(result.resource, { ...ada, nickName: 'A' });
  });

  it('accepts password operations and stores nothing', () => {
    const result = patch(ada, [
      { op: 'replace', path: 'password', value: 'hunter2' },
      { op: 'replace', value: { password: 'hunter3' } },
      { op: 'remove', path: 'password' },
    ]);
    assert.equal(result.changed, false);
    assert.equal('password' in result.resource, false);
  });

  it('sets an immutable attribute that is unassigned and refuses to change it afterwards', () => {
    const set = patch({ userName: 'x' }, [{ op: 'add', path: `${BADGE}:badgeId`, value: 'B-1' }], badgeUsers).resource;
    assert.deepEqual(set[BADGE], { badgeId: 'B-1' });
    assert.equal(patch(set, [{ op: 'replace', path: `${BADGE}:badgeId`, value: 'B-1' }], badgeUsers).changed, false);
    fails(set, [{ op: 'replace', path: `${BADGE}:badgeId`, value: 'B-2' }], 'mutability', /^Operations\[0\]: ".*:badgeId" is immutable/, badgeUsers);
    fails(set, [{ op: 'remove', path: `${BADGE}:badgeId` }], 'mutability', /immutable/, badgeUsers);
    fails(set, [{ op: 'replace', value: { [BADGE]: { badgeId: 'B-3' } } }], 'mutability', /immutable/, badgeUsers);
  });

  it('refuses to change an immutable sub-attribute that has a value', () => {
    const user: JsonObject = { userName: 'x', [BADGE]: { card: { serial: 'S-1' } } };
    assert.deepEqual(patch(user, [{ op: 'add', path: `${BADGE}:card.colour`, value: 'red' }], badgeUsers).resource[BADGE], { card: { serial: 'S-1', colour: 'red' } });
    fails(user, [{ op: 'replace', path: `${BADGE}:card.serial`, value: 'S-2' }], 'mutability', /card.serial" is immutable/, badgeUsers);
    fails(user, [{ op: 'replace', path: `${BADGE}:card`, value: { serial: 'S-2' } }], 'mutability', /immutable/, badgeUsers);
  });

  it('refuses to rewrite the immutable value of a Group member through a value path', () => {
    const group: JsonObject = { displayName: 'G', members: [{ value: 'u-1' }] };
    fails(group, [{ op: 'replace', path: 'members[value eq "u-1"].value', value: 'u-2' }], 'mutability', /members.value" is immutable/, groups);
  });

  it('rejects removing a required attribute with mutability', () => {
    fails(ada, [{ op: 'remove', path: 'userName' }], 'mutability', /^Operations\[0\]: Required attribute "userName" is missing/);
    fails({ displayName: 'G' }, [{ op: 'remove', path: 'displayName' }], 'mutability', /^Operations\[0\]: .*"displayName"/, groups);
  });

  it('rejects removing a tenant-required attribute with mutability', () => {
    const strictTenant: PatchOptions = { ...users, requiredAttributes: ['emails'] };
    fails(ada, [{ op: 'remove', path: 'emails' }], 'mutability', /"emails"/, strictTenant);
    fails(ada, [{ op: 'remove', path: 'emails[type eq "work"]' }, { op: 'remove', path: 'emails[type eq "home"]' }], 'mutability', /^Operations\[1\]/, strictTenant);
  });

  it('rejects a result without a required attribute with invalidValue naming the operation', () => {
    fails(ada, [{ op: 'add', path: 'title', value: 'x' }, { op: 'replace', path: 'userName', value: null }], 'invalidValue', /^Operations\[1\]: Required attribute "userName" is missing/);
  });
});

describe('applyPatch values', () => {
  it('converts "True"/"False" strings for booleans', () => {
    assert.equal(patch(ada, [{ op: 'Replace', path: 'active', value: 'False' }]).resource.active, false);
    assert.equal(patch(ada, [{ op: 'replace', value: { active: 'TRUE' } }]).resource.active, true);
  });

  it('rejects values of the wrong type with invalidValue naming the operation', () => {
    fails(ada, [{ op: 'add', path: 'title', value: 'x' }, { op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue', /^Operations\[1\]: Attribute "active" must be a boolean/);
    fails(ada, [{ op: 'replace', path: 'title', value: 42 }], 'invalidValue', /^Operations\[0\]: Attribute "title" must be a string/);
    fails(ada, [{ op: 'replace', path: 'title', value: ['a'] }], 'invalidValue', /single value/);
    fails(ada, [{ op: 'replace', path: 'emails[type eq "work"].value', value: { value: 'x' } }], 'invalidValue', /^Operations\[0\]/);
    fails(ada, [{ op: 'replace', value: { 'name.givenName': 7 } }], 'invalidValue', /^Operations\[0\]: Attribute "name.givenName"/);
  });

  it('ignores unknown keys of a path-less value unless strict', () => {
    assert.equal(patch(ada, [{ op: 'replace', value: { shoeSize: 9, schemas: ['x'] } }]).changed, false);
    fails(ada, [{ op: 'replace', value: { shoeSize: 9 } }], 'invalidValue', /^Operations\[0\]: Attribute "shoeSize" is not defined/, { ...users, strict: true });
  });
});

describe('applyPatch primary', () => {
  it('clears primary on the other values when an added value is primary', () => {
    const out = patch(ada, [{ op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'other', primary: true }] }]).resource;
    assert.deepEqual(out.emails, [
      { value: 'ada@work.example', type: 'work', primary: false },
      { value: 'ada@home.example', type: 'home' },
      { value: 'new@example.com', type: 'other', primary: true },
    ]);
  });

  it('clears primary on the other values when a value path sets primary', () => {
    const out = patch(ada, [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }]).resource;
    assert.deepEqual(out.emails, [
      { value: 'ada@work.example', type: 'work', primary: false },
      { value: 'ada@home.example', type: 'home', primary: true },
    ]);
  });

  it('keeps one primary when a replace value marks several', () => {
    const out = patch(ada, [{ op: 'replace', path: 'emails', value: [{ value: 'a@x.example', primary: true }, { value: 'b@x.example', primary: true }] }]).resource;
    assert.deepEqual(out.emails, [{ value: 'a@x.example', primary: true }, { value: 'b@x.example', primary: false }]);
  });
});

describe('applyPatch atomicity and change detection', () => {
  it('never mutates its input', () => {
    const input = structuredClone(ada);
    const result = patch(input, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@example.com' },
      { op: 'add', path: 'name.familyName', value: 'Byron' },
      { op: 'remove', path: `${ENTERPRISE}:manager` },
    ]);
    assert.deepEqual(input, ada);
    assert.notEqual(result.resource, input);
    assert.equal(result.changed, true);
  });

  it('throws for a failing later operation and leaves the input untouched', () => {
    const input = structuredClone(ada);
    assert.throws(
      () => patch(input, [{ op: 'replace', path: 'title', value: 'Analyst' }, { op: 'remove', path: 'emails' }, { op: 'replace', path: 'nope', value: 1 }]),
      (error: unknown) => error instanceof ScimError && error.scimType === 'invalidPath' && error.detail.startsWith('Operations[2]: '),
    );
    assert.deepEqual(input, ada);
  });

  it('applies operations in order, each on the previous result', () => {
    const out = patch(ada, [
      { op: 'remove', path: 'emails' },
      { op: 'add', path: 'emails[type eq "work"].value', value: 'w@example.com' },
      { op: 'replace', path: 'emails[value eq "w@example.com"].display', value: 'W' },
    ]).resource;
    assert.deepEqual(out.emails, [{ type: 'work', value: 'w@example.com', display: 'W' }]);
  });

  it('reports no change for a PATCH that sets what is already there', () => {
    const result = patch(ada, [
      { op: 'replace', path: 'userName', value: 'ada@example.com' },
      { op: 'add', path: 'emails', value: [{ value: 'ada@work.example', type: 'work', primary: true }] },
      { op: 'replace', value: { name: { givenName: 'Ada' } } },
      { op: 'remove', path: 'title' },
    ]);
    assert.equal(result.changed, false);
    assert.deepEqual(result.resource, ada);
    assert.deepEqual(result.deferred, []);
  });

  it('reports no change when an operation is undone by a later one', () => {
    const result = patch(ada, [{ op: 'replace', path: 'nickName', value: 'A' }, { op: 'remove', path: 'nickName' }]);
    assert.equal(result.changed, false);
  });
});
