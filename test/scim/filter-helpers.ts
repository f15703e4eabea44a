import assert from 'node:assert/strict';
import type { AttributePath } from '../../src/schema/attribute-path.js';
import type { CompareOperator, FilterNode, FilterValue } from '../../src/scim/filter/ast.js';
import { parseFilter, type FilterParseError, type FilterParseLimits } from '../../src/scim/filter/parser.js';

/** Test builders and helpers shared by the filter test files. */
export function path(name: string, subAttribute?: string, urn?: string): AttributePath {
  return { ...(urn === undefined ? {} : { urn }), name, ...(subAttribute === undefined ? {} : { subAttribute }) };
}

export function cmp(op: CompareOperator, name: string, value: FilterValue): FilterNode {
  const [attribute, sub] = name.split('.') as [string, string | undefined];
  return { kind: 'compare', op, path: path(attribute, sub), value };
}

export function pr(name: string): FilterNode {
  const [attribute, sub] = name.split('.') as [string, string | undefined];
  return { kind: 'present', path: path(attribute, sub) };
}

export const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'and', left, right });
export const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'or', left, right });
export const not = (operand: FilterNode): FilterNode => ({ kind: 'not', operand });
export const valuePath = (name: string, filter: FilterNode): FilterNode => ({ kind: 'valuePath', path: path(name), filter });

export function parse(text: string, limits?: FilterParseLimits): FilterNode {
  const result = parseFilter(text, limits);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(text)} to parse, got: ${result.error.message}`);
  return result.filter;
}

export function parseError(text: string, limits?: FilterParseLimits): FilterParseError {
  const result = parseFilter(text, limits);
  if (result.ok) assert.fail(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(result.filter)}`);
  return result.error;
}

/** The 17 example filters of RFC 7644 §3.4.2.2 Figure 2 (line breaks of the figure joined). */
export const rfcFigure2 = [
  'userName eq "bjensen"',
  'name.familyName co "O\'Malley"',
  'userName sw "J"',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
  'title pr',
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  'meta.lastModified ge "2011-05-13T04:42:34Z"',
  'meta.lastModified lt "2011-05-13T04:42:34Z"',
  'meta.lastModified le "2011-05-13T04:42:34Z"',
  'title pr and userType eq "Employee"',
  'title pr or userType eq "Intern"',
  'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
  'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
  'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
  'userType eq "Employee" and (emails.type eq "work")',
  'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
  'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
] as const;
