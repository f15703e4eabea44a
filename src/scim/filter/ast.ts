import type { AttributePath } from '../../schema/attribute-path.js';

/**
 * The SCIM filter AST (RFC 7644 §3.4.2.2). Nodes are readonly and tagged by `kind`;
 * consumers switch on `kind` exhaustively.
 */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal compValue: JSON false / null / true / number / string. */
export type FilterValue = string | number | boolean | null;

export interface CompareNode {
  readonly kind: 'compare';
  readonly op: CompareOperator;
  readonly path: AttributePath;
  readonly value: FilterValue;
}

export interface PresentNode {
  readonly kind: 'present';
  readonly path: AttributePath;
}

export interface AndNode {
  readonly kind: 'and';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

export interface OrNode {
  readonly kind: 'or';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: FilterNode;
}

/**
 * `emails[type eq "work" and value co "@x"]`: `path` names the multi-valued attribute and
 * `filter` is evaluated against each of its values, with paths relative to that value
 * (their `name` is the sub-attribute name). Value paths do not nest.
 */
export interface ValuePathNode {
  readonly kind: 'valuePath';
  readonly path: AttributePath;
  readonly filter: FilterNode;
}

export type FilterNode = CompareNode | PresentNode | AndNode | OrNode | NotNode | ValuePathNode;
