import { DEFAULT_LIMITS } from '../../limits.js';
import { InvalidFilterError } from '../errors.js';
import type { FilterNode } from './ast.js';
import { filterCost, SUBSTRING_COST, VALUE_PATH_COST } from './cost.js';
import { FilterGrammar } from './grammar.js';
import { FilterSyntaxError } from './lexer.js';

/** Bounds on what a client may send; exceeding either is a parse error naming the limit. */
export interface FilterParseLimits {
  /** Maximum filter length in characters (UTF-16 code units). Default: DEFAULT_LIMITS.filter (src/limits.ts). */
  readonly maxLength?: number;
  /**
   * Maximum nesting depth. A comparison or `pr` has depth 1; `( … )`, `not ( … )` and
   * `attr[ … ]` add one level; a chain of one logical operator (`a or b or c`, however
   * long) is one level above its deepest operand. Default: DEFAULT_LIMITS.filter.
   */
  readonly maxDepth?: number;
  /**
   * Largest cost (see filterCost: a comparison 1, a substring test or a value path more);
   * a filter above it is refused before any query runs. Default: DEFAULT_LIMITS.filter.
   */
  readonly maxCost?: number;
}

/** Where and why a filter failed to parse; `position` is a 0-based character index. */
export interface FilterParseError {
  /** A human-readable message that always names the position, e.g. `Unexpected ")" at position 20`. */
  readonly message: string;
  readonly position: number;
}

export type FilterParseResult = { readonly ok: true; readonly filter: FilterNode } | { readonly ok: false; readonly error: FilterParseError };

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Runs `parse` on a fresh grammar after the length check, turning syntax errors into an
 * error result. Shared with parseValuePath so both apply the same limits.
 */
export function runGrammar<T>(
  noun: 'Filter' | 'Path',
  text: string,
  limits: FilterParseLimits | undefined,
  parse: (grammar: FilterGrammar) => T,
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FilterParseError } {
  const maxLength = limit(limits?.maxLength, DEFAULT_LIMITS.filter.maxLength, 'maxLength');
  const maxDepth = limit(limits?.maxDepth, DEFAULT_LIMITS.filter.maxDepth, 'maxDepth');
  if (text.length > maxLength) {
    return {
      ok: false,
      error: { message: `${noun} exceeds the maximum length of ${maxLength} characters at position ${maxLength}`, position: maxLength },
    };
  }
  try {
    return { ok: true, value: parse(new FilterGrammar(text, maxDepth)) };
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { ok: false, error: { message: error.message, position: error.position } };
    throw error;
  }
}

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2). Attribute names, operators, `and`/`or`/`not` and
 * `true`/`false`/`null` are case-insensitive; attribute names keep the case they were written
 * in (the schema registry resolves them case-insensitively) and string values are kept
 * exactly. A value path followed by a sub-attribute (`emails[type eq "work"].value`) is a
 * PATCH path form and is rejected here; see parseValuePath.
 */
export function parseFilter(text: string, limits?: FilterParseLimits): FilterParseResult {
  const result = runGrammar('Filter', text, limits, (grammar) => grammar.parseFilter());
  if (!result.ok) return result;
  const maxCost = limit(limits?.maxCost, DEFAULT_LIMITS.filter.maxCost, 'maxCost');
  const cost = filterCost(result.value);
  if (cost > maxCost) {
    const message =
      `Filter is too expensive: it costs ${cost} and the limit is ${maxCost} ` +
      `(each comparison costs 1, a co/sw/ew test ${1 + SUBSTRING_COST}, a value path [...] ${VALUE_PATH_COST} more) at position 0`;
    return { ok: false, error: { message, position: 0 } };
  }
  return { ok: true, filter: result.value };
}

/** parseFilter that throws InvalidFilterError (400 invalidFilter) whose detail names the position. */
export function parseFilterOrThrow(text: string, limits?: FilterParseLimits): FilterNode {
  const result = parseFilter(text, limits);
  if (!result.ok) throw new InvalidFilterError(result.error.message);
  return result.filter;
}
