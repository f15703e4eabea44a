import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseRegistry, userResourceType } from '../../src/schema/registry.js';
import { evaluateFilter } from '../../src/scim/filter/evaluate.js';
import { parseFilterOrThrow } from '../../src/scim/filter/parser.js';
import { validateFilter } from '../../src/scim/filter/validate.js';

describe('Entra\'s value path with a sub-attribute in filters', () => {
  it('reads emails[type eq "work"].value eq "x" as emails[type eq "work" and value eq "x"]', () => {
    assert.deepEqual(parseFilterOrThrow('emails[type eq "work"].value eq "ada@example.com"'), parseFilterOrThrow('emails[type eq "work" and value eq "ada@example.com"]'));
  });

  it('keeps an or inside the brackets grouped', () => {
    assert.deepEqual(
      parseFilterOrThrow('emails[type eq "work" or type eq "home"].value pr'),
      parseFilterOrThrow('emails[(type eq "work" or type eq "home") and value pr]'),
    );
  });

  it('combines with and/or at the top level', () => {
    const filter = parseFilterOrThrow('emails[type eq "work"].value eq "a@x.com" and active eq true');
    assert.equal(filter.kind, 'and');
    validateFilter(filter, baseRegistry, userResourceType);
  });

  it('matches the work email only', () => {
    const filter = parseFilterOrThrow('emails[type eq "work"].value eq "ADA@example.com"');
    validateFilter(filter, baseRegistry, userResourceType);
    const work = { userName: 'a', emails: [{ type: 'work', value: 'ada@example.com' }] };
    const home = { userName: 'b', emails: [{ type: 'home', value: 'ada@example.com' }] };
    assert.equal(evaluateFilter(filter, work, baseRegistry, userResourceType), true);
    assert.equal(evaluateFilter(filter, home, baseRegistry, userResourceType), false);
  });
});
