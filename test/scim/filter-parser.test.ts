import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompareOperator, FilterNode } from '../../src/scim/filter/ast.js';
import { formatFilter } from '../../src/scim/filter/format.js';
import { parseFilter, parseFilterOrThrow } from '../../src/scim/filter/parser.js';
import { and, cmp, not, or, parse, path, pr, rfcFigure2, valuePath } from './filter-helpers.js';

const OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('parseFilter: comparisons', () => {
  for (const op of OPERATORS) {
    it(`parses the ${op} operator`, () => {
      assert.deepEqual(parse(`userName ${op} "bjensen"`), cmp(op, 'userName', 'bjensen'));
    });
  }

  it('parses pr', () => {
    assert.deepEqual(parse('title pr'), pr('title'));
  });

  it('reads operators and logical keywords in any case', () => {
    assert.deepEqual(parse('userName Eq "x"'), cmp('eq', 'userName', 'x'));
    assert.deepEqual(parse('userName EQ "x" AND title PR OR NOT (nickName Pr)'), or(and(cmp('eq', 'userName', 'x'), pr('title')), not(pr('nickName'))));
    assert.deepEqual(parse('active eq TRUE'), cmp('eq', 'active', true));
    assert.deepEqual(parse('active eq False'), cmp('eq', 'active', false));
    assert.deepEqual(parse('title eq NULL'), cmp('eq', 'title', null));
  });

  it('keeps attribute names as written and string values exactly', () => {
    assert.deepEqual(parse('USERNAME eq "BJensen"'), cmp('eq', 'USERNAME', 'BJensen'));
    assert.deepEqual(parse('Name.FamilyName co "  O\'Malley "'), cmp('co', 'Name.FamilyName', "  O'Malley "));
  });

  it('parses sub-attribute paths', () => {
    assert.deepEqual(parse('name.givenName sw "Bar"'), cmp('sw', 'name.givenName', 'Bar'));
    assert.deepEqual(parse('emails.value pr'), pr('emails.value'));
    assert.deepEqual(parse('members.$ref pr'), pr('members.$ref'));
  });

  it('splits URN-qualified paths at the last colon, though the URN contains "2.0"', () => {
    assert.deepEqual(parse(`${ENTERPRISE}:employeeNumber eq "701984"`), {
      kind: 'compare', op: 'eq', path: path('employeeNumber', undefined, ENTERPRISE), value: '701984',
    });
    assert.deepEqual(parse(`${ENTERPRISE}:manager.value eq "26118915"`), {
      kind: 'compare', op: 'eq', path: path('manager', 'value', ENTERPRISE), value: '26118915',
    });
    assert.deepEqual(parse('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName pr'), {
      kind: 'present', path: path('name', 'givenName', 'urn:ietf:params:scim:schemas:core:2.0:User'),
    });
  });

  it('decodes every JSON string escape', () => {
    const filter = parse(String.raw`displayName eq "q\" b\\ s\/ \b\f\n\r\t \u00e9 \u00C9 \uD83D\uDE00"`);
    assert.deepEqual(filter, cmp('eq', 'displayName', 'q" b\\ s/ \b\f\n\r\t é É 😀'));
  });

  it('keeps non-ASCII characters and brackets inside strings as they are', () => {
    assert.deepEqual(parse('displayName eq "Zoë (ops) [x] and or not"'), cmp('eq', 'displayName', 'Zoë (ops) [x] and or not'));
  });

  it('parses JSON numbers, true, false and null', () => {
    assert.deepEqual(parse('x eq 0'), cmp('eq', 'x', 0));
    assert.deepEqual(parse('x gt -12'), cmp('gt', 'x', -12));
    assert.deepEqual(parse('x lt 1.5'), cmp('lt', 'x', 1.5));
    assert.deepEqual(parse('x le 1e3'), cmp('le', 'x', 1000));
    assert.deepEqual(parse('x ge -2.5E-2'), cmp('ge', 'x', -0.025));
    assert.deepEqual(parse('x eq -0'), cmp('eq', 'x', 0));
    assert.ok(Object.is((parse('x eq -0') as { value: number }).value, 0), '-0 reads as 0');
    assert.deepEqual(parse('x eq true'), cmp('eq', 'x', true));
    assert.deepEqual(parse('x ne false'), cmp('ne', 'x', false));
    assert.deepEqual(parse('x eq null'), cmp('eq', 'x', null));
  });

  it('accepts any amount of space, tabs and line breaks between tokens', () => {
    const expected = and(cmp('eq', 'userName', 'x'), pr('title'));
    assert.deepEqual(parse('  userName \t eq\n"x"   and\r\ntitle pr  '), expected);
    assert.deepEqual(parse('userName eq"x" and(title pr)'), expected);
  });

  it('reads keywords as attribute names where an attribute path is expected', () => {
    assert.deepEqual(parse('pr pr'), pr('pr'));
    assert.deepEqual(parse('and eq "x" or or pr'), or(cmp('eq', 'and', 'x'), pr('or')));
    assert.deepEqual(parse('not eq "x"'), cmp('eq', 'not', 'x'));
    assert.deepEqual(parse('not pr and true pr'), and(pr('not'), pr('true')));
    assert.deepEqual(parse('not[eq pr]'), valuePath('not', pr('eq')));
  });
});

describe('parseFilter: logic and precedence', () => {
  const [a, b, c, d] = [pr('a'), pr('b'), pr('c'), pr('d')];

  it('parses `and` tighter than `or`', () => {
    assert.deepEqual(parse('a pr or b pr and c pr'), or(a, and(b, c)));
    assert.deepEqual(parse('a pr and b pr or c pr'), or(and(a, b), c));
    assert.deepEqual(parse('a pr and b pr or c pr and d pr'), or(and(a, b), and(c, d)));
  });

  it('associates `and` and `or` to the left', () => {
    assert.deepEqual(parse('a pr or b pr or c pr'), or(or(a, b), c));
    assert.deepEqual(parse('a pr and b pr and c pr'), and(and(a, b), c));
  });

  it('parses `not` tighter than `and`', () => {
    assert.deepEqual(parse('not (a pr) and b pr'), and(not(a), b));
    assert.deepEqual(parse('a pr and not (b pr) or c pr'), or(and(a, not(b)), c));
  });

  it('lets parentheses override precedence and leaves no trace of them in the AST', () => {
    assert.deepEqual(parse('(a pr or b pr) and c pr'), and(or(a, b), c));
    assert.deepEqual(parse('a pr or (b pr or c pr)'), or(a, or(b, c)));
    assert.deepEqual(parse('((a pr))'), a);
    assert.deepEqual(parse('not ((a pr) or b pr)'), not(or(a, b)));
    assert.deepEqual(parse('not (not (a pr))'), not(not(a)));
  });
});

describe('parseFilter: value paths', () => {
  it('parses emails[type eq "work"] with a relative inner path', () => {
    assert.deepEqual(parse('emails[type eq "work"]'), valuePath('emails', cmp('eq', 'type', 'work')));
  });

  it('parses logical operators, not and parentheses inside the brackets', () => {
    assert.deepEqual(
      parse('emails[type eq "work" and value co "@x" or not (primary eq true)]'),
      valuePath('emails', or(and(cmp('eq', 'type', 'work'), cmp('co', 'value', '@x')), not(cmp('eq', 'primary', true)))),
    );
  });

  it('parses groups[value eq …] and members[value eq …]', () => {
    assert.deepEqual(parse('groups[value eq "e9e30dba"]'), valuePath('groups', cmp('eq', 'value', 'e9e30dba')));
    assert.deepEqual(
      parse('members[value eq "2819c223" and type eq "User"]'),
      valuePath('members', and(cmp('eq', 'value', '2819c223'), cmp('eq', 'type', 'User'))),
    );
  });

  it('combines value paths with other expressions', () => {
    assert.deepEqual(
      parse('userName pr and emails[type eq "work"] or ims[type eq "xmpp"]'),
      or(and(pr('userName'), valuePath('emails', cmp('eq', 'type', 'work'))), valuePath('ims', cmp('eq', 'type', 'xmpp'))),
    );
  });

  it('parses a URN-qualified value path attribute', () => {
    assert.deepEqual(parse('urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"]'), {
      kind: 'valuePath', path: path('emails', undefined, 'urn:ietf:params:scim:schemas:core:2.0:User'), filter: cmp('eq', 'type', 'work'),
    });
  });
});

describe('parseFilter: RFC 7644 Figure 2', () => {
  for (const text of rfcFigure2) {
    it(`parses ${text}`, () => {
      const filter = parse(text);
      assert.deepEqual(parse(formatFilter(filter)), filter);
    });
  }

  it('prints the examples back as written, except for redundant parentheses', () => {
    const printed = rfcFigure2.map((text) => formatFilter(parse(text)));
    const expected = rfcFigure2.map((text) => text.replace('(emails.type eq "work")', 'emails.type eq "work"'));
    assert.deepEqual(printed, expected);
  });

  it('builds the expected tree for the negated example', () => {
    assert.deepEqual(
      parse(rfcFigure2[13]),
      and(cmp('ne', 'userType', 'Employee'), not(or(cmp('co', 'emails', 'example.com'), cmp('co', 'emails.value', 'example.org')))),
    );
  });

  it('builds the expected tree for the two-value-path example', () => {
    assert.deepEqual(
      parse(rfcFigure2[16]),
      or(
        valuePath('emails', and(cmp('eq', 'type', 'work'), cmp('co', 'value', '@example.com'))),
        valuePath('ims', and(cmp('eq', 'type', 'xmpp'), cmp('co', 'value', '@foo.com'))),
      ),
    );
  });
});

describe('parseFilterOrThrow', () => {
  it('returns the AST of a valid filter', () => {
    assert.deepEqual(parseFilterOrThrow('userName eq "x"'), cmp('eq', 'userName', 'x'));
  });

  it('throws InvalidFilterError (400 invalidFilter) with the position in the detail', () => {
    assert.throws(
      () => parseFilterOrThrow('userName xx "bob"'),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(error.name, 'InvalidFilterError');
        assert.equal((error as { status?: number }).status, 400);
        assert.equal((error as { scimType?: string }).scimType, 'invalidFilter');
        assert.equal(error.message, 'Expected a comparison operator after "userName" at position 9');
        return true;
      },
    );
  });

  it('applies the limits it is given', () => {
    assert.throws(() => parseFilterOrThrow('a pr', { maxLength: 3 }), /maximum length of 3 characters at position 3/);
  });
});

describe('formatFilter', () => {
  it('prints canonical text with lower-case operators and JSON literals', () => {
    assert.equal(formatFilter(parse('UserName EQ  "a\\"b"  AND  x Gt 1.50 or y eq NULL')), 'UserName eq "a\\"b" and x gt 1.5 or y eq null');
  });

  it('adds only the parentheses precedence and left-association need', () => {
    const [a, b, c] = [pr('a'), pr('b'), pr('c')];
    assert.equal(formatFilter(or(or(a, b), c)), 'a pr or b pr or c pr');
    assert.equal(formatFilter(or(a, or(b, c))), 'a pr or (b pr or c pr)');
    assert.equal(formatFilter(and(or(a, b), c)), '(a pr or b pr) and c pr');
    assert.equal(formatFilter(and(a, and(b, c))), 'a pr and (b pr and c pr)');
    assert.equal(formatFilter(or(and(a, b), and(b, c))), 'a pr and b pr or b pr and c pr');
    assert.equal(formatFilter(not(and(a, b))), 'not (a pr and b pr)');
  });

  it('prints value paths and URN-qualified paths', () => {
    const filter: FilterNode = {
      kind: 'valuePath', path: path('emails', undefined, 'urn:ietf:params:scim:schemas:core:2.0:User'), filter: cmp('eq', 'type', 'work'),
    };
    assert.equal(formatFilter(filter), 'urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"]');
  });

  it('escapes control characters so the output parses back', () => {
    const filter = cmp('eq', 'x', 'tab\there\u0001\u2028');
    assert.deepEqual(parse(formatFilter(filter)), filter);
  });
});

describe('parseFilter: result shape', () => {
  it('returns ok: true with the filter', () => {
    assert.deepEqual(parseFilter('title pr'), { ok: true, filter: pr('title') });
  });
});
