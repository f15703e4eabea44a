import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { baseRegistry, userResourceType } from '../../src/schema/registry.js';
import { ScimError } from '../../src/scim/errors.js';
import type { JsonObject, JsonValue } from '../../src/scim/json.js';
import { applyPatch, type PatchOperation, type PatchOptions } from '../../src/scim/patch/index.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const users: PatchOptions = { registry: baseRegistry, resourceType: userResourceType, strict: false };

const base: JsonObject = {
  userName: 'ada@example.com',
  name: { givenName: 'Ada' },
  emails: [{ value: 'ada@work.example', type: 'work', primary: true }],
  [ENTERPRISE]: { department: 'R&D' },
};

// A pool of paths and values that mixes valid, invalid and no-op operations.
const paths = fc.constantFrom(
  'title',
  'active',
  'userName',
  'name.givenName',
  'emails',
  'emails[type eq "work"].value',
  'emails[type eq "home"]',
  'emails[value co "x"].display',
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager`,
  'id',
  'nope',
  'emails[',
);
const values: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom<JsonValue>('x', 'False', true, 42, null, [], { value: 'v@x.example', type: 'home', primary: true }),
  fc.array(fc.record({ value: fc.constantFrom('a@x.example', 'b@x.example'), type: fc.constantFrom('work', 'home') }), { maxLength: 2 }),
);
const operation = fc.record({ op: fc.constantFrom<'add' | 'remove' | 'replace'>('add', 'remove', 'replace'), path: fc.option(paths, { nil: undefined }), value: values });

function toOperations(raw: readonly { op: 'add' | 'remove' | 'replace'; path: string | undefined; value: JsonValue }[]): PatchOperation[] {
  return raw.map((entry, index) => ({ index, op: entry.op, path: entry.path ?? (entry.op === 'remove' ? 'title' : undefined), value: entry.path === undefined && entry.op !== 'remove' ? { title: entry.value } : entry.value }));
}

describe('applyPatch properties', () => {
  it('never mutates its input, reports changed exactly when the result differs, and fails only with a 400 naming an operation', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 5 }), (raw) => {
        const input = structuredClone(base);
        try {
          const result = applyPatch(input, toOperations(raw), users);
          assert.equal(result.changed, !sameJson(result.resource, base));
        } catch (error) {
          assert.ok(error instanceof ScimError, String(error));
          assert.equal(error.status, 400);
          assert.match(error.detail, /^Operations\[\d+\]: /);
        }
        assert.deepEqual(input, base);
      }),
      { numRuns: 500 },
    );
  });

  // One add, not a sequence: in a sequence a later add can give an earlier value-path add a
  // new target (an added email that \`emails[value co "x"]\` now matches), so a second run of
  // the whole sequence rightly changes something.
  it('changes nothing when the same add is applied a second time, whatever came before it', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 3 }), operation, (before, raw) => {
        const [add] = toOperations([{ ...raw, op: 'add' }]);
        assert.ok(add !== undefined);
        let state: JsonObject;
        let once: JsonObject;
        try {
          state = applyPatch(base, toOperations(before), users).resource;
          once = applyPatch(state, [add], users).resource;
        } catch {
          return;
        }
        const twice = applyPatch(once, [add], users);
        assert.equal(twice.changed, false, JSON.stringify({ before, add }));
      }),
      { numRuns: 500 },
    );
  });
});

function sameJson(a: JsonValue, b: JsonValue): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
