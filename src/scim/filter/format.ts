import { formatAttributePath } from '../../schema/attribute-path.js';
import type { FilterNode, FilterValue } from './ast.js';

function formatValue(value: FilterValue): string {
  // JSON.stringify escapes quotes, backslashes and control characters the way the lexer reads
  // them back; non-finite numbers cannot come from the parser but must not print as `null`.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

// Parenthesise only where precedence or left-associativity needs it, so that parsing the
// output gives back the same tree: `or` binds loosest, `and` tighter, and a right operand
// of the same operator needs brackets (`a or (b or c)` is not `(a or b) or c`).
function operand(node: FilterNode, parent: 'and' | 'or', side: 'left' | 'right'): string {
  const text = formatFilter(node);
  const looser = parent === 'and' && node.kind === 'or';
  const sameOnRight = side === 'right' && node.kind === parent;
  return looser || sameOnRight ? `(${text})` : text;
}

/**
 * Prints a filter AST as canonical SCIM filter text: lower-case operators, single spaces,
 * JSON literals, the minimum parentheses. `parseFilter(formatFilter(f))` gives back `f`
 * (for ASTs the parser can produce). Useful for logs and error details.
 */
export function formatFilter(filter: FilterNode): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatAttributePath(filter.path)} ${filter.op} ${formatValue(filter.value)}`;
    case 'present':
      return `${formatAttributePath(filter.path)} pr`;
    case 'and':
    case 'or':
      return `${operand(filter.left, filter.kind, 'left')} ${filter.kind} ${operand(filter.right, filter.kind, 'right')}`;
    case 'not':
      return `not (${formatFilter(filter.operand)})`;
    case 'valuePath':
      return `${formatAttributePath(filter.path)}[${formatFilter(filter.filter)}]`;
  }
}
