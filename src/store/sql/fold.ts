/**
 * Case folding for case-insensitive attributes (caseExact: false). The folded form is what
 * unique keys and indexed lookups compare, so SQL and JavaScript must agree on it.
 */
export function foldCase(value: string): string {
  return value.normalize('NFC').toLowerCase();
}
