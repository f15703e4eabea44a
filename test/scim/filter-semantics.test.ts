import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { baseRegistry, userResourceType } from '../../src/schema/registry.js';
import { URN } from '../../src/schema/urns.js';
import type { CompareOperator, FilterNode } from '../../src/scim/filter/ast.js';
import { parseDateTime } from '../../src/scim/filter/date-time.js';
import { evaluateFilter } from '../../src/scim/filter/evaluate.js';
import { compareCodePoints, foldCase } from '../../src/scim/filter/match.js';
import type { JsonObject, JsonValue } from '../../src/scim/json.js';
import { parse } from './filter-helpers.js';

describe('parseDateTime', () => {
  it('reads xsd:dateTime with Z, an offset, no zone (as UTC) and fractions', () => {
    const instant = Date.UTC(2011, 4, 13, 4, 42, 34);
    assert.equal(parseDateTime('2011-05-13T04:42:34Z'), instant);
    assert.equal(parseDateTime('2011-05-13T04:42:34.000Z'), instant);
    assert.equal(parseDateTime('2011-05-13T06:42:34+02:00'), instant);
    assert.equal(parseDateTime('2011-05-12T23:12:34-05:30'), instant);
    assert.equal(parseDateTime('2011-05-13T04:42:34'), instant);
    assert.equal(parseDateTime('2011-05-13T04:42:34.5Z'), instant + 500);
  });

  it('truncates fractions to the millisecond', () => {
    assert.equal(parseDateTime('2011-05-13T04:42:34.1239Z'), Date.UTC(2011, 4, 13, 4, 42, 34, 123));
  });

  it('reads years below 100 as written', () => {
    assert.equal(new Date(parseDateTime('0099-01-01T00:00:00Z') ?? Number.NaN).getUTCFullYear(), 99);
  });

  it('rejects text that is not a full, valid date and time', () => {
    for (const text of [
      '2011-05-13', '2011-05-13 04:42:34Z', '2011-5-13T04:42:34Z', '11-05-13T04:42:34Z', '2011-02-30T00:00:00Z',
      '2011-13-01T00:00:00Z', '2011-05-13T24:00:00Z', '2011-05-13T04:60:00Z', '2011-05-13T04:42:60Z',
      '2011-05-13T04:42:34+15:00', '2011-05-13T04:42:34+0200', '2011-05-13T04:42:34z', 'yesterday', '',
    ]) {
      assert.equal(parseDateTime(text), undefined, text);
    }
  });
});

describe('compareCodePoints and foldCase', () => {
  it('orders like sorting by code point', () => {
    const strings = ['', 'a', 'ab', 'b', 'B', '\uFFFD', '\u{1F600}', '\u{10000}', 'a\u{1F600}', 'a\uFFFF', '\uE000'];
    const byCodePoint = (a: string, b: string): number => {
      const x = [...a].map((c) => c.codePointAt(0) ?? 0);
      const y = [...b].map((c) => c.codePointAt(0) ?? 0);
      for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
      return x.length - y.length;
    };
    for (const a of strings) for (const b of strings) assert.equal(Math.sign(compareCodePoints(a, b)), Math.sign(byCodePoint(a, b)), `${a} ${b}`);
  });

  it('folds with NFC then toLowerCase', () => {
    assert.equal(foldCase('E\u0301COLE'), '\u00e9cole');
    assert.equal(foldCase('İ'), 'i\u0307');
  });
});

// Random Users over a few attributes, with the unassigned forms (absent, null, "", []).
const maybeText = fc.oneof(fc.constant(null), fc.constant(''), fc.constantFrom('a', 'B', 'ab', 'work', 'Home'));
const emailArb = fc.record({ value: maybeText, type: maybeText, primary: fc.oneof(fc.boolean(), fc.constant(null)) }, { requiredKeys: [] });
const userArb = fc
  .record({ userName: maybeText, title: maybeText, active: fc.oneof(fc.boolean(), fc.constant(null)), emails: fc.oneof(fc.constant(null), fc.array(emailArb, { maxLength: 3 })), name: fc.record({ givenName: maybeText }, { requiredKeys: [] }) }, { requiredKeys: [] })
  .map((fields): JsonObject => ({ schemas: [URN.user], id: 'x', ...(fields as Record<string, JsonValue>) }));

const pathArb = fc.constantFrom('userName', 'title', 'emails', 'emails.value', 'emails.type', 'name.givenName');
const literalArb = fc.constantFrom('a', 'b', 'A', 'work', '', 'ho');
const opArb = fc.constantFrom<CompareOperator>('eq', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');

function evaluate(filter: FilterNode, user: JsonObject): boolean {
  return evaluateFilter(filter, user, baseRegistry, userResourceType);
}

describe('evaluateFilter properties', () => {
  it('evaluates ne v as not (eq v)', () => {
    fc.assert(
      fc.property(userArb, pathArb, fc.oneof(literalArb, fc.constant(null)), (user, path, value) => {
        const literal = JSON.stringify(value);
        assert.equal(evaluate(parse(`${path} ne ${literal}`), user), !evaluate(parse(`${path} eq ${literal}`), user));
      }),
      { numRuns: 500 },
    );
  });

  it('evaluates eq null as not (pr) on simple attributes and sub-attributes', () => {
    fc.assert(
      fc.property(userArb, fc.constantFrom('userName', 'title', 'active', 'emails.value', 'emails.primary', 'name.givenName'), (user, path) => {
        assert.equal(evaluate(parse(`${path} eq null`), user), !evaluate(parse(`${path} pr`), user));
      }),
      { numRuns: 300 },
    );
  });

  it('matches a multi-valued comparison exactly when some single value does', () => {
    fc.assert(
      fc.property(userArb, opArb, literalArb, (user, op, literal) => {
        const emails = Array.isArray(user['emails']) ? user['emails'] : [];
        const filter = parse(`emails.type ${op} ${JSON.stringify(literal)}`);
        const anyOne = emails.some((email) => evaluate(filter, { ...user, emails: [email] }));
        assert.equal(evaluate(filter, user), anyOne);
      }),
      { numRuns: 300 },
    );
  });

  it('gives no match for any comparison when the value is "" and when it is absent alike', () => {
    fc.assert(
      fc.property(opArb, literalArb, (op, literal) => {
        const filter = parse(`title ${op} ${JSON.stringify(literal)}`);
        const base: JsonObject = { schemas: [URN.user], id: 'x' };
        assert.equal(evaluate(filter, { ...base, title: '' }), false);
        assert.equal(evaluate(filter, base), false);
      }),
    );
  });
});
