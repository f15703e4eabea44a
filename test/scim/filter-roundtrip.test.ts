import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AttributePath } from '../../src/schema/attribute-path.js';
import type { CompareOperator, FilterNode, FilterValue } from '../../src/scim/filter/ast.js';
import { formatFilter } from '../../src/scim/filter/format.js';
import { parseFilter } from '../../src/scim/filter/parser.js';

// The round trip is about the grammar: no length, depth or cost limit stands in its way.
const LIMITS = { maxLength: 1_000_000, maxDepth: 10_000, maxCost: 1_000_000 };

// Names the grammar allows, plus keywords, which the parser must still read as names.
const nameArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z$][\w$-]{0,7}$/),
  fc.constantFrom('pr', 'eq', 'and', 'or', 'not', 'true', 'null', 'urn', '$ref'),
);
const urnArb = fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.-]{0,6}$/), { minLength: 1, maxLength: 5 }).map((parts) => `urn:${parts.join(':')}`);

function pathArb(withSubAttribute: boolean): fc.Arbitrary<AttributePath> {
  return fc
    .record({ urn: fc.option(urnArb, { nil: undefined }), name: nameArb, sub: withSubAttribute ? fc.option(nameArb, { nil: undefined }) : fc.constant(undefined) })
    .map(({ urn, name, sub }) => ({ ...(urn === undefined ? {} : { urn }), name, ...(sub === undefined ? {} : { subAttribute: sub }) }));
}

const valueArb: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const opArb = fc.constantFrom<CompareOperator>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');

const atomArb: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.record({ op: opArb, path: pathArb(true), value: valueArb }).map(({ op, path, value }): FilterNode => ({ kind: 'compare', op, path, value })),
  pathArb(true).map((path): FilterNode => ({ kind: 'present', path })),
);

/** Filters of and/or/not over `leaf`, at most `depth` operators deep. */
function treeArb(leaf: fc.Arbitrary<FilterNode>, depth: number): fc.Arbitrary<FilterNode> {
  if (depth === 0) return leaf;
  const sub = treeArb(leaf, depth - 1);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 1, arbitrary: fc.tuple(sub, sub).map(([left, right]): FilterNode => ({ kind: 'and', left, right })) },
    { weight: 1, arbitrary: fc.tuple(sub, sub).map(([left, right]): FilterNode => ({ kind: 'or', left, right })) },
    { weight: 1, arbitrary: sub.map((operand): FilterNode => ({ kind: 'not', operand })) },
  );
}

// Value paths do not nest and their attribute carries no sub-attribute.
const valuePathArb: fc.Arbitrary<FilterNode> = fc
  .record({ path: pathArb(false), filter: treeArb(atomArb, 2) })
  .map(({ path, filter }): FilterNode => ({ kind: 'valuePath', path, filter }));

const filterArb = treeArb(fc.oneof({ weight: 3, arbitrary: atomArb }, { weight: 1, arbitrary: valuePathArb }), 4);

describe('formatFilter and parseFilter round trip', () => {
  it('parses printed random ASTs back to the same AST', () => {
    fc.assert(
      fc.property(filterArb, (filter) => {
        const text = formatFilter(filter);
        const result = parseFilter(text, LIMITS);
        assert.ok(result.ok, `${text}: ${result.ok ? '' : result.error.message}`);
        assert.deepEqual(result.filter, filter);
      }),
      { numRuns: 500 },
    );
  });

  it('prints a parsed filter to a fixed point', () => {
    fc.assert(
      fc.property(filterArb, (filter) => {
        const once = formatFilter(filter);
        const reparsed = parseFilter(once, LIMITS);
        assert.ok(reparsed.ok);
        assert.equal(formatFilter(reparsed.filter), once);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary text and reports positions inside it', () => {
    const textArb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(fc.constantFrom('a', 'pr', 'eq', '"x"', '1', '(', ')', '[', ']', '.', 'and', 'or', 'not', ' ', 'b.c', '\\', '"'), { maxLength: 20 }).map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(textArb, (text) => {
        const result = parseFilter(text);
        if (!result.ok) {
          assert.ok(result.error.position >= 0 && result.error.position <= text.length, `${text}: ${result.error.position}`);
          assert.match(result.error.message, new RegExp(`position ${result.error.position}\\b`));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
