import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError, type ScimType } from '../../src/scim/errors.js';
import { readPatchRequest } from '../../src/scim/patch/index.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function fails(body: unknown, scimType: ScimType, detail: RegExp): void {
  assert.throws(
    () => readPatchRequest(body),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, 'a ScimError');
      assert.equal(error.status, 400);
      assert.equal(error.scimType, scimType);
      assert.match(error.detail, detail);
      return true;
    },
  );
}

describe('readPatchRequest', () => {
  it('reads capitalised ops, paths and values with their indexes', () => {
    const ops = readPatchRequest({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Add', path: 'nickName', value: 'Ada' },
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Remove', path: 'title' },
        { op: 'REPLACE', value: { active: false } },
      ],
    });
    assert.deepEqual(ops, [
      { index: 0, op: 'add', path: 'nickName', value: 'Ada' },
      { index: 1, op: 'replace', path: 'active', value: 'False' },
      { index: 2, op: 'remove', path: 'title' },
      { index: 3, op: 'replace', value: { active: false } },
    ]);
  });

  it('accepts schemas after Operations, a lower-case URN and a lower-case operations key', () => {
    const ops = readPatchRequest({ operations: [{ op: 'replace', path: 'active', value: false }], schemas: [PATCH_OP.toLowerCase()] });
    assert.deepEqual(ops, [{ index: 0, op: 'replace', path: 'active', value: false }]);
  });

  it('reads op member names in any case', () => {
    const ops = readPatchRequest({ schemas: [PATCH_OP], Operations: [{ Op: 'add', Path: 'title', Value: 'Dr' }] });
    assert.deepEqual(ops, [{ index: 0, op: 'add', path: 'title', value: 'Dr' }]);
  });

  it('trims the path and reads a blank or null path as no path', () => {
    const ops = readPatchRequest({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: ' title ', value: 'Dr' },
        { op: 'replace', path: '', value: { title: 'Dr' } },
        { op: 'replace', path: null, value: { title: 'Dr' } },
      ],
    });
    assert.deepEqual(ops.map((op) => op.path), ['title', undefined, undefined]);
  });

  it('keeps a null replace value, which unassigns the target', () => {
    assert.deepEqual(readPatchRequest({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: null }] }), [
      { index: 0, op: 'replace', path: 'title', value: null },
    ]);
  });

  it('keeps the value of a remove (Entra names the members to remove)', () => {
    const [op] = readPatchRequest({ schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: 'u-1' }] }] });
    assert.deepEqual(op, { index: 0, op: 'remove', path: 'members', value: [{ value: 'u-1' }] });
  });

  it('rejects a body that is not an object', () => {
    fails([], 'invalidSyntax', /JSON object/);
    fails('x', 'invalidSyntax', /JSON object/);
    fails(null, 'invalidSyntax', /JSON object/);
  });

  it('rejects a body without the PatchOp schema', () => {
    fails({ Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax', /schemas/);
    fails({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }, 'invalidSyntax', /PatchOp/);
    fails({ schemas: PATCH_OP, Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax', /schemas/);
  });

  it('rejects missing or empty Operations', () => {
    fails({ schemas: [PATCH_OP] }, 'invalidSyntax', /Operations/);
    fails({ schemas: [PATCH_OP], Operations: [] }, 'invalidSyntax', /non-empty/);
    fails({ schemas: [PATCH_OP], Operations: { op: 'add' } }, 'invalidSyntax', /Operations/);
  });

  it('rejects an unknown op and names its index', () => {
    fails({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'x' }, { op: 'move', path: 'title' }] }, 'invalidSyntax', /^Operations\[1\]: "op"/);
    fails({ schemas: [PATCH_OP], Operations: [{ path: 'title', value: 'x' }] }, 'invalidSyntax', /^Operations\[0\]: "op"/);
    fails({ schemas: [PATCH_OP], Operations: ['add'] }, 'invalidSyntax', /^Operations\[0\]: each operation/);
  });

  it('rejects remove without a path with noTarget', () => {
    fails({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'x' }, { op: 'Remove' }] }, 'noTarget', /^Operations\[1\]: "remove" requires a "path"/);
  });

  it('rejects add without a value, or with null, with invalidValue', () => {
    fails({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title' }] }, 'invalidValue', /^Operations\[0\]: "add" requires a "value"/);
    fails({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: null }] }, 'invalidValue', /^Operations\[0\]/);
  });

  it('rejects replace without a value with invalidValue', () => {
    fails({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title' }] }, 'invalidValue', /^Operations\[0\]: "replace" requires a "value"/);
  });

  it('rejects a path that is not a string with invalidPath', () => {
    fails({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 7, value: 'x' }] }, 'invalidPath', /^Operations\[0\]: "path" must be a string/);
  });
});
