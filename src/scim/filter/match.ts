import type { AttributeDefinition } from '../../schema/types.js';
import { isJsonObject, type JsonValue } from '../json.js';
import type { CompareOperator, FilterValue } from './ast.js';
import { parseDateTime } from './date-time.js';

/** The operators matchValue decides directly; `ne` is always `not eq`. */
export type MatchOperator = Exclude<CompareOperator, 'ne'>;

/**
 * Case folding for attributes with `caseExact: false`: NFC, then `toLowerCase()` (full
 * Unicode, locale-independent; never `toLocaleLowerCase`).
 */
export function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

// Order rank of a UTF-16 code unit such that comparing ranks at the first difference gives
// code point order: surrogates (D800–DFFF, i.e. characters above U+FFFF) go after E000–FFFF.
function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * Compares strings by Unicode code point, which is also the order of their UTF-8 bytes (SQL
 * binary collations); JavaScript's `<` compares UTF-16 code units, which differs above U+FFFF.
 * Negative, zero or positive like a sort comparator.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/**
 * Whether one stored value counts as assigned (RFC 7643 §2.5, RFC 7644 §3.4.2.2 `pr`): not
 * undefined, null, `""` or `[]`; an array counts when one of its items does; an object (a
 * complex value) counts when one of the sub-attributes its definition lists does.
 */
export function isPresent(value: JsonValue | undefined, definition: AttributeDefinition): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some((item) => isPresent(item, definition));
  if (isJsonObject(value)) return (definition.subAttributes ?? []).some((sub) => isPresent(value[sub.name], sub));
  return true;
}

function ordered(op: MatchOperator, difference: number): boolean {
  switch (op) {
    case 'eq':
      return difference === 0;
    case 'gt':
      return difference > 0;
    case 'ge':
      return difference >= 0;
    case 'lt':
      return difference < 0;
    case 'le':
      return difference <= 0;
    case 'co':
    case 'sw':
    case 'ew':
      return false;
  }
}

function matchString(op: MatchOperator, stored: string, literal: string, caseExact: boolean): boolean {
  const a = caseExact ? stored : foldCase(stored);
  const b = caseExact ? literal : foldCase(literal);
  switch (op) {
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    case 'eq':
      return a === b;
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return ordered(op, compareCodePoints(a, b));
  }
}

/**
 * Whether one assigned stored value satisfies `op literal` for an attribute of `definition`'s
 * type. Values of the wrong JSON type, unparseable dateTimes and operators that do not fit
 * the type (`co` on a number, `gt` on a boolean) never match.
 */
export function matchValue(op: MatchOperator, stored: JsonValue, literal: Exclude<FilterValue, null>, definition: AttributeDefinition): boolean {
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return typeof stored === 'string' && typeof literal === 'string' && matchString(op, stored, literal, definition.caseExact);
    case 'boolean':
      return op === 'eq' && typeof stored === 'boolean' && stored === literal;
    case 'integer':
    case 'decimal':
      return typeof stored === 'number' && typeof literal === 'number' && ordered(op, stored - literal);
    case 'dateTime': {
      if (typeof stored !== 'string' || typeof literal !== 'string') return false;
      const a = parseDateTime(stored);
      const b = parseDateTime(literal);
      return a !== undefined && b !== undefined && ordered(op, a - b);
    }
    case 'complex':
      return false;
  }
}
