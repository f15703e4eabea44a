import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseRegistry, groupResourceType } from '../../src/schema/registry.js';
import { ScimError, type ScimType } from '../../src/scim/errors.js';
import type { JsonObject } from '../../src/scim/json.js';
import { applyPatch, readPatchRequest, type PatchOptions, type PatchResult } from '../../src/scim/patch/index.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const groups: PatchOptions = { registry: baseRegistry, resourceType: groupResourceType, strict: false, deferredAttributes: ['members'] };
const group: JsonObject = { displayName: 'Engineering' };

function patch(operations: object[], resource: JsonObject = group): PatchResult {
  return applyPatch(resource, readPatchRequest({ schemas: [PATCH_OP], Operations: operations }), groups);
}

function fails(operations: object[], scimType: ScimType, detail: RegExp): void {
  assert.throws(
    () => patch(operations),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, 'a ScimError');
      assert.equal(error.scimType, scimType);
      assert.match(error.detail, detail);
      return true;
    },
  );
}

describe('applyPatch deferred attributes', () => {
  it('returns member operations in order and leaves the JSON alone', () => {
    const stored: JsonObject = { displayName: 'Engineering', members: [{ value: 'u-0' }] };
    const result = patch(
      [
        { op: 'add', path: 'members', value: [{ value: 'u-1', type: 'User' }] },
        { op: 'replace', path: 'displayName', value: 'Eng' },
        { op: 'remove', path: 'members' },
      ],
      stored,
    );
    assert.deepEqual(result.resource, { displayName: 'Eng', members: [{ value: 'u-0' }] });
    assert.deepEqual(result.deferred, [
      { index: 0, op: 'add', attribute: 'members', value: [{ value: 'u-1', type: 'User' }] },
      { index: 2, op: 'remove', attribute: 'members' },
    ]);
  });

  it('reports no change for a PATCH that only changes membership', () => {
    const result = patch([{ op: 'add', path: 'members', value: [{ value: 'u-1' }] }]);
    assert.equal(result.changed, false);
    assert.equal(result.deferred.length, 1);
  });

  it('coerces member values: drops display and $ref, wraps a single object into an array', () => {
    const result = patch([
      { op: 'add', path: 'members', value: { value: 'u-1', display: 'Grace', $ref: 'https://x.example/Users/u-1' } },
      { op: 'add', path: 'MEMBERS', value: [{ value: 'u-2', $ref: null }, null] },
    ]);
    assert.deepEqual(result.deferred, [
      { index: 0, op: 'add', attribute: 'members', value: [{ value: 'u-1' }] },
      { index: 1, op: 'add', attribute: 'members', value: [{ value: 'u-2' }] },
    ]);
  });

  it('defers members keys of a path-less value and applies the other keys', () => {
    const result = patch([{ op: 'replace', value: { displayName: 'Eng', members: [{ value: 'u-1' }] } }]);
    assert.deepEqual(result.resource, { displayName: 'Eng' });
    assert.deepEqual(result.deferred, [{ index: 0, op: 'replace', attribute: 'members', value: [{ value: 'u-1' }] }]);
  });

  it('defers a core-URN-qualified members path', () => {
    const result = patch([{ op: 'remove', path: 'urn:ietf:params:scim:schemas:core:2.0:Group:members[value eq "u-1"]' }]);
    assert.equal(result.deferred[0]?.attribute, 'members');
    assert.ok(result.deferred[0]?.filter !== undefined);
  });

  it('tells "replace with none" and "remove none" apart from "remove all"', () => {
    const result = patch([
      { op: 'replace', path: 'members', value: [] },
      { op: 'remove', path: 'members', value: [] },
      { op: 'remove', path: 'members' },
    ]);
    assert.deepEqual(result.deferred, [
      { index: 0, op: 'replace', attribute: 'members', value: [] },
      { index: 1, op: 'remove', attribute: 'members', value: [] },
      { index: 2, op: 'remove', attribute: 'members' },
    ]);
  });

  it('drops an add of no members', () => {
    assert.deepEqual(patch([{ op: 'add', path: 'members', value: [] }]).deferred, []);
  });

  it('keeps the filter and sub-attribute of a value path', () => {
    const [deferred] = patch([{ op: 'remove', path: 'members[type eq "Group" and value sw "g-"].type' }]).deferred;
    assert.equal(deferred?.subAttribute, 'type');
    assert.equal(deferred?.filter?.kind, 'and');
  });

  it('validates deferred paths, filters and values', () => {
    fails([{ op: 'remove', path: 'members[value eq "u-1"' }], 'invalidPath', /^Operations\[0\]: Invalid path/);
    fails([{ op: 'remove', path: 'members[colour eq "u-1"]' }], 'invalidFilter', /^Operations\[0\]: .*"colour"/);
    fails([{ op: 'remove', path: 'members.colour' }], 'invalidPath', /^Operations\[0\]/);
    fails([{ op: 'add', path: 'members', value: [{ display: 'Grace' }] }], 'invalidValue', /^Operations\[0\]: "members" value #1 has no "value"/);
    fails([{ op: 'add', path: 'members', value: [{ value: 42 }] }], 'invalidValue', /^Operations\[0\]: Attribute "members.value" must be a string/);
    fails([{ op: 'Remove', path: 'members', value: [{ display: 'x' }] }], 'invalidValue', /^Operations\[0\]/);
  });

  it('refuses writes to immutable or readOnly member sub-attributes', () => {
    fails([{ op: 'replace', path: 'members[value eq "u-1"].value', value: 'u-2' }], 'mutability', /^Operations\[0\]: "members.value" is immutable/);
    fails([{ op: 'replace', path: 'members[value eq "u-1"].display', value: 'x' }], 'mutability', /^Operations\[0\]: "members.display" is readOnly/);
  });

  it('returns nothing when a later operation fails', () => {
    assert.throws(
      () => patch([{ op: 'add', path: 'members', value: [{ value: 'u-1' }] }, { op: 'remove', path: 'displayName' }]),
      (error: unknown) => error instanceof ScimError && error.scimType === 'mutability' && error.detail.startsWith('Operations[1]: '),
    );
  });
});
