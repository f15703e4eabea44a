import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseValuePath, type ValuePath } from '../../src/scim/filter/value-path.js';
import { and, cmp, path } from './filter-helpers.js';

function parsePath(text: string): ValuePath {
  const result = parseValuePath(text);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(text)} to parse, got: ${result.error.message}`);
  return result.path;
}

function pathError(text: string): { message: string; position: number } {
  const result = parseValuePath(text);
  if (result.ok) assert.fail(`expected ${JSON.stringify(text)} to fail`);
  return result.error;
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('parseValuePath', () => {
  it('parses a plain attribute path', () => {
    assert.deepEqual(parsePath('members'), { attribute: path('members') });
    assert.deepEqual(parsePath('name.familyName'), { attribute: path('name', 'familyName') });
  });

  it('parses URN-qualified paths, including a whole extension URN', () => {
    assert.deepEqual(parsePath(`${ENTERPRISE}:employeeNumber`), { attribute: path('employeeNumber', undefined, ENTERPRISE) });
    assert.deepEqual(parsePath(`${ENTERPRISE}:manager.value`), { attribute: path('manager', 'value', ENTERPRISE) });
    assert.deepEqual(parsePath(ENTERPRISE), { attribute: path('User', undefined, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0') });
  });

  it('parses attrPath[valFilter] with relative inner paths', () => {
    assert.deepEqual(parsePath('addresses[type eq "work"]'), { attribute: path('addresses'), filter: cmp('eq', 'type', 'work') });
    assert.deepEqual(parsePath('members[value eq "2819c223" and type eq "User"]'), {
      attribute: path('members'),
      filter: and(cmp('eq', 'value', '2819c223'), cmp('eq', 'type', 'User')),
    });
  });

  it('parses attrPath[valFilter].subAttr', () => {
    assert.deepEqual(parsePath('members[value eq "2819c223"].display'), {
      attribute: path('members'),
      filter: cmp('eq', 'value', '2819c223'),
      subAttribute: 'display',
    });
    assert.deepEqual(parsePath('emails[type eq "work"].value'), { attribute: path('emails'), filter: cmp('eq', 'type', 'work'), subAttribute: 'value' });
  });

  it('keeps the case of names and reads operators in any case', () => {
    assert.deepEqual(parsePath('Emails[Type EQ "Work"].Value'), { attribute: path('Emails'), filter: cmp('eq', 'Type', 'Work'), subAttribute: 'Value' });
  });

  it('rejects a missing or dotted sub-attribute after "]."', () => {
    assert.deepEqual(pathError('emails[type eq "work"].'), { message: 'Expected a sub-attribute name after "]." at position 23, found end of input', position: 23 });
    assert.deepEqual(pathError('emails[type eq "work"].value.x'), { message: 'Expected a sub-attribute name after "]." at position 23, found "value.x"', position: 23 });
    assert.deepEqual(pathError('emails[type eq "work"].(x)'), { message: 'Expected a sub-attribute name after "]." at position 23, found "("', position: 23 });
  });

  it('rejects trailing text, nested value paths and unclosed brackets', () => {
    assert.deepEqual(pathError('members x'), { message: 'Unexpected "x" at position 8', position: 8 });
    assert.deepEqual(pathError('members[value eq "x"] or'), { message: 'Unexpected "or" at position 22', position: 22 });
    assert.deepEqual(pathError('emails[type[value pr]]'), { message: 'Value paths cannot be nested: unexpected "[" at position 11', position: 11 });
    assert.deepEqual(pathError('emails[type eq "work"'), { message: 'Expected "]" to close the value filter opened at position 6', position: 6 });
  });

  it('rejects an empty path and one that starts with something other than a name', () => {
    assert.deepEqual(pathError(''), { message: 'Expected an attribute path at position 0, found end of input', position: 0 });
    assert.deepEqual(pathError('[type eq "work"]'), { message: 'Expected an attribute path at position 0, found "["', position: 0 });
    assert.deepEqual(pathError('name..x'), { message: 'Invalid attribute path "name..x" at position 0', position: 0 });
  });

  it('applies the filter length and depth limits', () => {
    assert.deepEqual(pathError(`members[value eq "${'x'.repeat(5000)}"]`), {
      message: 'Path exceeds the maximum length of 4096 characters at position 4096',
      position: 4096,
    });
    const deep = parseValuePath('members[((value pr))]', { maxDepth: 3 });
    assert.equal(deep.ok, false);
  });
});
