import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFilter } from '../../src/scim/filter/parser.js';
import { filterCost, SUBSTRING_COST, VALUE_PATH_COST } from '../../src/scim/filter/cost.js';
import { parse, parseError } from './filter-helpers.js';

/** [filter, message, position] */
type ErrorCase = readonly [string, string, number];

function check(cases: readonly ErrorCase[]): void {
  for (const [text, message, position] of cases) {
    it(`rejects ${JSON.stringify(text)} at position ${position}`, () => {
      assert.deepEqual(parseError(text), { message, position });
    });
  }
}

describe('parseFilter errors: expressions', () => {
  check([
    ['', 'Expected an attribute path, "not" or "(" at position 0, found end of input', 0],
    ['   ', 'Expected an attribute path, "not" or "(" at position 3, found end of input', 3],
    ['userName xx "bob"', 'Expected a comparison operator after "userName" at position 9', 9],
    ['userName', 'Expected a comparison operator after "userName" at position 8', 8],
    ['userName "bob"', 'Expected a comparison operator after "userName" at position 9', 9],
    ['userName eq', 'Expected a value after "eq" at position 11 (a string in double quotes, a number, true, false or null), found end of input', 11],
    ['externalId eq jyoung', 'Expected a value after "eq" at position 14 (a string in double quotes, a number, true, false or null), found "jyoung"', 14],
    ['userName eq (x)', 'Expected a value after "eq" at position 12 (a string in double quotes, a number, true, false or null), found "("', 12],
    ['title pr "x"', 'Unexpected string "x" at position 9; expected "and" or "or"', 9],
    ['title pr userName pr', 'Unexpected "userName" at position 9; expected "and" or "or"', 9],
    ['title pr 12', 'Unexpected number 12 at position 9; expected "and" or "or"', 9],
    ['userName eq "bjensen")', 'Unexpected ")" at position 21', 21],
    ['title pr and (a pr or b pr))', 'Unexpected ")" at position 27', 27],
    ['title pr]', 'Unexpected "]" at position 8', 8],
    ['title pr and', 'Expected an attribute path, "not" or "(" at position 12, found end of input', 12],
    ['title pr or )', 'Expected an attribute path, "not" or "(" at position 12, found ")"', 12],
    ['()', 'Expected an attribute path, "not" or "(" at position 1, found ")"', 1],
    ['"x" eq userName', 'Expected an attribute path, "not" or "(" at position 0, found string "x"', 0],
  ]);
});

describe('parseFilter errors: grouping and not', () => {
  check([
    ['(userName pr', 'Expected ")" to close the "(" opened at position 0', 0],
    ['title pr and (a pr or (b pr)', 'Expected ")" to close the "(" opened at position 13', 13],
    ['(a pr b pr)', 'Unexpected "b" at position 6; expected "and", "or" or ")"', 6],
    ['(a pr]', 'Unexpected "]" at position 5; expected "and", "or" or ")"', 5],
    ['not a pr', 'Expected "(" after "not" at position 4', 4],
    ['not', 'Expected "(" after "not" at position 3', 3],
    ['not (a pr', 'Expected ")" to close the "(" opened at position 4', 4],
  ]);
});

describe('parseFilter errors: value paths', () => {
  check([
    ['emails[type eq "work"', 'Expected "]" to close the value filter opened at position 6', 6],
    ['emails[type eq "work" value pr]', 'Unexpected "value" at position 22; expected "and", "or" or "]"', 22],
    ['emails[type eq "work")', 'Unexpected ")" at position 21; expected "and", "or" or "]"', 21],
    ['emails[]', 'Expected an attribute path, "not" or "(" at position 7, found "]"', 7],
    ['emails[type[value pr]]', 'Value paths cannot be nested: unexpected "[" at position 11', 11],
    ['emails[not (x[a pr])]', 'Value paths cannot be nested: unexpected "[" at position 13', 13],
    ['emails.value[type eq "work"]', 'A value filter cannot follow the sub-attribute path "emails.value": unexpected "[" at position 12', 12],
    ['emails[type eq "work"].value', 'Expected a comparison operator after "value" at position 28', 28],
    ['emails[type eq "work"]."x" eq "x"', 'Expected a sub-attribute name after "." at position 23', 23],
    ['emails[type eq "work"].value[type pr] pr', 'Value paths cannot be nested: unexpected "[" at position 28', 28],
  ]);
});

describe('parseFilter errors: attribute paths', () => {
  check([
    ['name..givenName pr', 'Invalid attribute path "name..givenName" at position 0', 0],
    ['name.givenName.x pr', 'Invalid attribute path "name.givenName.x" at position 0', 0],
    ['title pr and name. pr', 'Invalid attribute path "name." at position 13', 13],
    ['urn:ietf:params:scim:schemas:core:2.0:User: pr', 'Invalid attribute path "urn:ietf:params:scim:schemas:core:2.0:User:" at position 0', 0],
    ['a:b pr', 'Invalid attribute path "a:b" at position 0', 0],
    ['.x pr', 'Expected an attribute path, "not" or "(" at position 0, found "."', 0],
  ]);
});

describe('parseFilter errors: strings', () => {
  check([
    ['userName eq "abc', 'Unterminated string starting at position 12', 12],
    ['userName eq "abc\\"', 'Unterminated string starting at position 12', 12],
    ['userName eq "abc\\', 'Unterminated escape sequence at position 16', 16],
    ['userName eq "a\\x"', 'Invalid escape sequence "\\x" at position 14', 14],
    ['userName eq "a\\\'"', 'Invalid escape sequence "\\\'" at position 14', 14],
    ['userName eq "\\u12G4"', 'Invalid escape sequence "\\u12G4" at position 13; \\u needs four hex digits', 13],
    ['userName eq "\\u12"', 'Invalid escape sequence "\\u12"" at position 13; \\u needs four hex digits', 13],
    ['userName eq "a\nb"', 'Unescaped control character U+000A in the string at position 14', 14],
    ['userName eq "a\u0000"', 'Unescaped control character U+0000 in the string at position 14', 14],
    ["userName eq 'bob'", 'Unexpected character "\'" at position 12; string values must be in double quotes', 12],
  ]);
});

describe('parseFilter errors: numbers and characters', () => {
  check([
    ['x eq 01', 'Invalid number "01" at position 5', 5],
    ['x eq 1.', 'Invalid number "1." at position 5', 5],
    ['x eq 1e', 'Invalid number "1e" at position 5', 5],
    ['x eq -', 'Invalid number "-" at position 5', 5],
    ['x eq -a', 'Invalid number "-a" at position 5', 5],
    ['x eq 12abc', 'Invalid number "12abc" at position 5', 5],
    ['x eq +1', 'Unexpected character "+" at position 5', 5],
    ['x eq .5', 'Expected a value after "eq" at position 5 (a string in double quotes, a number, true, false or null), found "."', 5],
    ['x eq 1e999', 'Number 1e999 at position 5 is out of range', 5],
    ['a pr & b pr', 'Unexpected character "&" at position 5', 5],
    ['a pr 😀', 'Unexpected character "😀" at position 5', 5],
    ['a pr\u00a0', 'Unexpected character "\u00a0" at position 4', 4],
  ]);
});

describe('parseFilter errors: general', () => {
  it('reports the leftmost error when several are present', () => {
    assert.equal(parseError('userName xx "unterminated').position, 9);
  });

  it('names its position in every message', () => {
    for (const text of ['', 'a', 'a eq', 'a eq "', '(a pr', 'x[a pr', 'a pr)', 'x eq 01', 'not x', 'a.b.c pr', 'x[a pr].b']) {
      const { message, position } = parseError(text);
      assert.match(message, new RegExp(`position ${position}\\b`), text);
    }
  });
});

describe('parseFilter limits', () => {
  it('accepts a filter of exactly maxLength characters and rejects a longer one', () => {
    const exact = `userName eq "${'a'.repeat(4096 - 14)}"`;
    assert.equal(exact.length, 4096);
    parse(exact);
    assert.deepEqual(parseError(`${exact} `), { message: 'Filter exceeds the maximum length of 4096 characters at position 4096', position: 4096 });
  });

  it('applies a custom maxLength', () => {
    assert.deepEqual(parseError('title pr', { maxLength: 5 }), { message: 'Filter exceeds the maximum length of 5 characters at position 5', position: 5 });
    parse('x'.repeat(5000).replace(/^x+$/, (x) => `${x} pr`), { maxLength: 6000 });
  });

  it('accepts 31 nested parentheses and rejects 32 at the 32nd (default maxDepth 32)', () => {
    parse(`${'('.repeat(31)}a pr${')'.repeat(31)}`);
    assert.deepEqual(parseError(`${'('.repeat(32)}a pr${')'.repeat(32)}`), {
      message: 'Filter nesting exceeds the maximum depth of 32 at position 31',
      position: 31,
    });
  });

  it('stops a pathological nesting early instead of overflowing the stack', () => {
    const error = parseError(`${'not ('.repeat(100_000)}a pr`, { maxLength: 1_000_000 });
    assert.match(error.message, /maximum depth of 32/);
  });

  it('counts not, value paths and mixed logical operators as levels', () => {
    parse('not (emails[type eq "work"])', { maxDepth: 3 });
    assert.match(parseError('not (emails[type eq "work"])', { maxDepth: 2 }).message, /maximum depth of 2 at position 11/);
    parse('a pr or b pr and c pr', { maxDepth: 3 });
    assert.deepEqual(parseError('a pr or b pr and c pr', { maxDepth: 2 }), {
      message: 'Filter nesting exceeds the maximum depth of 2 at position 5',
      position: 5,
    });
  });

  it('counts a long chain of one logical operator as one level', () => {
    const chain = Array.from({ length: 500 }, (_, index) => `id eq "${index}"`).join(' or ');
    parse(chain, { maxDepth: 2, maxLength: 100_000, maxCost: 1000 });
  });

  it('refuses a filter above its cost budget, counting substring tests and value paths above comparisons', () => {
    const eqs = Array.from({ length: 50 }, (_, index) => `id eq "${index}"`).join(' or ');
    assert.equal(filterCost(parse(eqs)), 50);
    const over = parseFilter(`${eqs} or id eq "x"`);
    assert.equal(over.ok, false);
    if (!over.ok) assert.match(over.error.message, /too expensive: it costs 51 and the limit is 50/);
    assert.equal(filterCost(parse('emails[value co "a" or type ew "b"]')), VALUE_PATH_COST + 2 * (1 + SUBSTRING_COST));
    assert.equal(parseFilter('userName co "a"', { maxCost: 4 }).ok, false);
    assert.equal(parseFilter('userName eq "a"', { maxCost: 1 }).ok, true);
  });

  it('rejects limits that are not positive integers', () => {
    assert.throws(() => parseFilter('a pr', { maxDepth: 0 }), RangeError);
    assert.throws(() => parseFilter('a pr', { maxCost: 0 }), RangeError);
    assert.throws(() => parseFilter('a pr', { maxLength: 1.5 }), RangeError);
  });
});
