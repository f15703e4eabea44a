import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseRegistry, groupResourceType, userResourceType } from '../../src/schema/registry.js';
import type { JsonObject } from '../../src/scim/json.js';
import { applyPatch, readPatchRequest, type PatchOptions, type PatchResult } from '../../src/scim/patch/index.js';

// Request shapes Entra ID and Okta send (docs/idp-rules.md).
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const users: PatchOptions = { registry: baseRegistry, resourceType: userResourceType, strict: false };
const groups: PatchOptions = { registry: baseRegistry, resourceType: groupResourceType, strict: false, deferredAttributes: ['members'] };

function patch(resource: JsonObject, body: unknown, options: PatchOptions = users): PatchResult {
  return applyPatch(resource, readPatchRequest(body), options);
}

const entraUser: JsonObject = {
  externalId: '9b1f7c52',
  userName: 'ada@contoso.example',
  active: true,
  displayName: 'Ada Byron',
  emails: [{ primary: true, type: 'home', value: 'ada@home.example' }],
  name: { formatted: 'Ada Byron', familyName: 'Byron', givenName: 'Ada' },
  [ENTERPRISE]: { department: 'R&D' },
};

describe('Entra ID PATCH shapes', () => {
  it('applies the default-dialect multi-attribute update, creating the work email and work address', () => {
    const result = patch(entraUser, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'ada.lovelace@contoso.example' },
        { op: 'Replace', path: 'name.familyName', value: 'Lovelace' },
        { op: 'Replace', path: 'userName', value: 'ada.lovelace@contoso.example' },
        { op: 'Add', path: `${ENTERPRISE}:employeeNumber`, value: '1042' },
        { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'London' },
        { op: 'Add', path: 'addresses[type eq "work"].country', value: 'GB' },
      ],
    });
    assert.deepEqual(result.resource, {
      ...entraUser,
      userName: 'ada.lovelace@contoso.example',
      emails: [
        { primary: true, type: 'home', value: 'ada@home.example' },
        { type: 'work', value: 'ada.lovelace@contoso.example' },
      ],
      name: { formatted: 'Ada Byron', familyName: 'Lovelace', givenName: 'Ada' },
      addresses: [{ type: 'work', locality: 'London', country: 'GB' }],
      [ENTERPRISE]: { department: 'R&D', employeeNumber: '1042' },
    });
  });

  it('upserts one work phone number that two operations address', () => {
    const out = patch(entraUser, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 1234' },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+44 7700 900' },
        { op: 'Replace', path: 'phoneNumbers[type eq "work"].primary', value: 'True' },
      ],
    }).resource;
    assert.deepEqual(out.phoneNumbers, [
      { type: 'work', value: '+44 20 1234', primary: true },
      { type: 'mobile', value: '+44 7700 900' },
    ]);
  });

  it('updates the existing element on the next sync instead of adding another', () => {
    const first = patch(entraUser, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'a@contoso.example' }] }).resource;
    const second = patch(first, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'b@contoso.example' }] }).resource;
    assert.deepEqual(second.emails, [
      { primary: true, type: 'home', value: 'ada@home.example' },
      { type: 'work', value: 'b@contoso.example' },
    ]);
  });

  it('reads attribute names in odd case such as .Value and .Formatted', () => {
    const out = patch(entraUser, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Add', path: 'emails[type eq "other"].Value', value: 'proxy@contoso.example' },
        { op: 'Add', path: 'addresses[type eq "other"].Formatted', value: 'Office 12' },
      ],
    }).resource;
    assert.deepEqual((out.emails as JsonObject[])[1], { type: 'other', value: 'proxy@contoso.example' });
    assert.deepEqual(out.addresses, [{ type: 'other', formatted: 'Office 12' }]);
  });

  it('disables a user with the string "False" and with a boolean', () => {
    const body = (op: string, value: unknown): unknown => ({ schemas: [PATCH_OP], Operations: [{ op, path: 'active', value }] });
    assert.equal(patch(entraUser, body('Replace', 'False')).resource.active, false);
    assert.equal(patch(entraUser, body('replace', false)).resource.active, false);
  });

  it('accepts a body whose schemas come after Operations', () => {
    const result = patch(entraUser, { Operations: [{ op: 'Replace', path: 'active', value: false }], schemas: [PATCH_OP] });
    assert.equal(result.resource.active, false);
  });

  it('applies the flagged multi-replace with dotted and URN-qualified keys', () => {
    const out = patch(entraUser, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@contoso.example' },
        {
          op: 'replace',
          value: {
            displayName: 'Ada L.',
            'name.givenName': 'Ada',
            'name.familyName': 'Lovelace',
            [`${ENTERPRISE}:employeeNumber`]: '1042',
          },
        },
      ],
    }).resource;
    assert.equal(out.displayName, 'Ada L.');
    assert.deepEqual(out.name, { formatted: 'Ada Byron', givenName: 'Ada', familyName: 'Lovelace' });
    assert.deepEqual(out[ENTERPRISE], { department: 'R&D', employeeNumber: '1042' });
    assert.deepEqual((out.emails as JsonObject[])[1], { type: 'work', value: 'ada@contoso.example' });
  });

  it('applies an extension-URN key whose value is an object of extension attributes', () => {
    const out = patch(entraUser, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', value: { [ENTERPRISE]: { costCenter: 'C-7', department: null } } }] }).resource;
    assert.deepEqual(out[ENTERPRISE], { costCenter: 'C-7' });
  });

  it('stores a manager sent as a bare id as {value}, and replaces a stale manager whole', () => {
    const withManager = patch(entraUser, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: 'u-19cc' }] }).resource;
    assert.deepEqual(withManager[ENTERPRISE], { department: 'R&D', manager: { value: 'u-19cc' } });
    const stale: JsonObject = { ...entraUser, [ENTERPRISE]: { manager: { value: 'u-1', $ref: '../Users/u-1', displayName: 'Old' } } };
    const replaced = patch(stale, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'manager', value: 'u-2' }] }).resource;
    assert.deepEqual(replaced[ENTERPRISE], { manager: { value: 'u-2' } });
  });

  it('stores a manager sent as {value}', () => {
    const out = patch(entraUser, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: { value: 'u-19cc' } }] }).resource;
    assert.deepEqual(out[ENTERPRISE], { department: 'R&D', manager: { value: 'u-19cc' } });
  });

  it('removes the manager', () => {
    const user: JsonObject = { ...entraUser, [ENTERPRISE]: { manager: { value: 'u-19cc' } } };
    const out = patch(user, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: `${ENTERPRISE}:manager` }] }).resource;
    assert.equal(ENTERPRISE in out, false);
  });

  it('adds a single-valued string with a capitalised op', () => {
    assert.equal(patch(entraUser, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'nickName', value: 'Ada' }] }).resource.nickName, 'Ada');
  });

  it('creates one role through roles[primary eq "True"] paths', () => {
    const out = patch(entraUser, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Add', path: 'roles[primary eq "True"].value', value: '{"id":"r-1","value":"Admin"}' },
        { op: 'Add', path: 'roles[primary eq "True"].display', value: 'Admin' },
        { op: 'Add', path: 'roles[primary eq "True"].type', value: 'WindowsAzureActiveDirectoryRole' },
      ],
    }).resource;
    assert.deepEqual(out.roles, [{ primary: true, value: '{"id":"r-1","value":"Admin"}', display: 'Admin', type: 'WindowsAzureActiveDirectoryRole' }]);
  });

  it('returns both Entra member-removal forms and member adds as deferred operations', () => {
    const group: JsonObject = { displayName: 'Finance' };
    const result = patch(
      group,
      {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Add', path: 'members', value: [{ $ref: null, value: 'u-7f3a' }, { $ref: null, value: 'u-19cc' }] },
          { op: 'Remove', path: 'members', value: [{ value: 'u-19cc' }] },
          { op: 'remove', path: 'members[value eq "u-19cc"]' },
          { op: 'Replace', path: 'displayName', value: 'Finance EMEA' },
        ],
      },
      groups,
    );
    assert.deepEqual(result.resource, { displayName: 'Finance EMEA' });
    assert.deepEqual(result.deferred, [
      { index: 0, op: 'add', attribute: 'members', value: [{ value: 'u-7f3a' }, { value: 'u-19cc' }] },
      { index: 1, op: 'remove', attribute: 'members', value: [{ value: 'u-19cc' }] },
      { index: 2, op: 'remove', attribute: 'members', filter: { kind: 'compare', op: 'eq', path: { name: 'value' }, value: 'u-19cc' } },
    ]);
  });
});

describe('Okta PATCH shapes', () => {
  const grace: JsonObject = { userName: 'grace@acme.example', name: { givenName: 'Grace', familyName: 'Hopper' }, active: true };

  it('deactivates and reactivates with a path-less value', () => {
    const off = patch(grace, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.deepEqual(off.resource, { ...grace, active: false });
    assert.equal(off.changed, true);
    const on = patch(off.resource, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    assert.deepEqual(on.resource, grace);
  });

  it('renames a group whose value carries its readOnly id', () => {
    const result = patch({ displayName: 'Eng' }, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: 'g-9', displayName: 'Engineering' } }] }, groups);
    assert.deepEqual(result.resource, { displayName: 'Engineering' });
    assert.deepEqual(result.deferred, []);
  });

  it('reports no change for the rename Okta repeats with every membership update', () => {
    const result = patch({ displayName: 'Engineering' }, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: 'g-9', displayName: 'Engineering' } }] }, groups);
    assert.equal(result.changed, false);
  });

  it('defers a remove by filter and an add in one request, dropping display', () => {
    const result = patch(
      { displayName: 'Engineering' },
      {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'remove', path: 'members[value eq "u-a02"]' },
          { op: 'add', path: 'members', value: [{ value: 'u-a01', display: 'grace@acme.example' }] },
        ],
      },
      groups,
    );
    assert.equal(result.changed, false);
    assert.deepEqual(result.deferred, [
      { index: 0, op: 'remove', attribute: 'members', filter: { kind: 'compare', op: 'eq', path: { name: 'value' }, value: 'u-a02' } },
      { index: 1, op: 'add', attribute: 'members', value: [{ value: 'u-a01' }] },
    ]);
  });

  it('applies a remove by filter and an add to the JSON when members are not deferred', () => {
    const group: JsonObject = { displayName: 'Engineering', members: [{ value: 'u-a02' }, { value: 'u-a03' }] };
    const out = patch(
      group,
      {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'remove', path: 'members[value eq "u-a02"]' },
          { op: 'add', path: 'members', value: [{ value: 'u-a01', display: 'grace@acme.example' }, { value: 'u-a03' }] },
        ],
      },
      { ...groups, deferredAttributes: [] },
    ).resource;
    assert.deepEqual(out.members, [{ value: 'u-a03' }, { value: 'u-a01' }]);
  });

  it('defers a full replace of members', () => {
    const result = patch(
      { displayName: 'Engineering' },
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [{ value: 'u-a01' }, { value: 'u-a03' }] }] },
      groups,
    );
    assert.deepEqual(result.deferred, [{ index: 0, op: 'replace', attribute: 'members', value: [{ value: 'u-a01' }, { value: 'u-a03' }] }]);
  });

  it('replaces all members in the JSON when members are not deferred', () => {
    const group: JsonObject = { displayName: 'Engineering', members: [{ value: 'u-a02' }] };
    const out = patch(group, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [{ value: 'u-a01' }, { value: 'u-a03' }] }] }, { ...groups, deferredAttributes: [] }).resource;
    assert.deepEqual(out.members, [{ value: 'u-a01' }, { value: 'u-a03' }]);
  });
});
