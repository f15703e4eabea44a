import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseRegistry, groupResourceType, userResourceType } from '../../src/schema/registry.js';
import { formatFilter } from '../../src/scim/filter/format.js';
import { parseFilterOrThrow } from '../../src/scim/filter/parser.js';
import { restrictFilterToType } from '../../src/scim/filter/restrict.js';

function restrict(text: string, type = groupResourceType): string | boolean {
  const result = restrictFilterToType(parseFilterOrThrow(text), baseRegistry, type);
  return typeof result === 'boolean' ? result : formatFilter(result);
}

describe('restricting a filter to one resource type', () => {
  it('treats comparisons on attributes the type lacks as false', () => {
    assert.equal(restrict('userName eq "x"'), false);
    assert.equal(restrict('userName pr'), false);
    assert.equal(restrict('emails[type eq "work"]'), false);
  });

  it('treats ne and eq null on absent attributes as true', () => {
    assert.equal(restrict('userName ne "x"'), true);
    assert.equal(restrict('userName eq null'), true);
    assert.equal(restrict('not (userName eq "x")'), true);
  });

  it('folds and/or around the constants', () => {
    assert.equal(restrict('displayName eq "A" or userName eq "x"'), 'displayName eq "A"');
    assert.equal(restrict('displayName eq "A" and userName eq "x"'), false);
    assert.equal(restrict('displayName eq "A" and userName ne "x"'), 'displayName eq "A"');
    assert.equal(restrict('displayName eq "A" or userName ne "x"'), true);
  });

  it('leaves a filter on known attributes unchanged', () => {
    assert.equal(restrict('userName eq "x" and active eq true', userResourceType), 'userName eq "x" and active eq true');
  });
});
