import type { FilterNode } from './ast.js';

/**
 * What a filter costs to run, counted before any query runs. Each comparison and `pr` costs
 * one; a substring test (`co`, `sw`, `ew`) and a value path (`emails[…]`, which reads every
 * element of the attribute) cost SUBSTRING_COST and VALUE_PATH_COST more, since outside an
 * index they read and compare every candidate row's text.
 */
export const SUBSTRING_COST = 4;
export const VALUE_PATH_COST = 4;

export function filterCost(node: FilterNode): number {
  switch (node.kind) {
    case 'and':
    case 'or':
      return filterCost(node.left) + filterCost(node.right);
    case 'not':
      return filterCost(node.operand);
    case 'present':
      return 1;
    case 'compare':
      return node.op === 'co' || node.op === 'sw' || node.op === 'ew' ? 1 + SUBSTRING_COST : 1;
    case 'valuePath':
      return VALUE_PATH_COST + filterCost(node.filter);
  }
}

/**
 * Whether a filter can need more than index lookups: anything but `eq` comparisons joined by
 * `and`/`or`. Such lists are the ones held to the per-tenant concurrency limit.
 */
export function isExpensiveFilter(node: FilterNode): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return isExpensiveFilter(node.left) || isExpensiveFilter(node.right);
    case 'compare':
      return node.op !== 'eq';
    default:
      return true;
  }
}
