import { ConflictError, InvalidValueError, type ScimError } from '../errors.js';
import { dependencyOrder, stronglyConnected } from './graph.js';
import { referencesIn, type DataReference } from './references.js';
import type { BulkOperation, ReadOperation } from './types.js';

/** One step of running a BulkRequest, in the order the steps run. */
export type BulkStep =
  /** The operation fails without running: malformed, an unknown bulkId, or an unresolvable cycle. */
  | { readonly kind: 'fail'; readonly index: number; readonly error: ScimError }
  /** Run the operation; `deferred` bulkIds are left out of its data for now (circular references). */
  | { readonly kind: 'run'; readonly index: number; readonly deferred: ReadonlySet<string> }
  /** Add to the created resource the elements held back by its `run` step. */
  | { readonly kind: 'complete'; readonly index: number };

/** Whether an operation creates a resource others can reference by its bulkId. */
function isPost(operation: ReadOperation): boolean {
  return operation.kind === 'valid' ? operation.method === 'POST' : operation.isPost;
}

/** The bulkIds an operation references: in its path (`/Groups/bulkId:x`) and anywhere in its data. */
function referencesOf(operation: BulkOperation): DataReference[] {
  const inPath: DataReference[] = operation.target?.kind === 'bulkId' ? [{ bulkId: operation.target.bulkId, deferrable: false }] : [];
  return [...inPath, ...(operation.data === undefined ? [] : referencesIn(operation.data))];
}

/** source → referenced operation → whether every reference between them is deferrable. */
type Edges = Map<number, Map<number, boolean>>;

function buildEdges(operations: readonly ReadOperation[], failures: Map<number, ScimError>): Edges {
  const posts = new Map<string, number>();
  for (const operation of operations) if (operation.bulkId !== undefined && isPost(operation)) posts.set(operation.bulkId, operation.index);
  const edges: Edges = new Map();
  for (const operation of operations) {
    if (operation.kind === 'invalid') {
      failures.set(operation.index, operation.error);
      continue;
    }
    const references = referencesOf(operation);
    const unknown = references.find((reference) => !posts.has(reference.bulkId));
    if (unknown !== undefined) {
      failures.set(operation.index, new InvalidValueError(`Operations[${operation.index}]: "bulkId:${unknown.bulkId}" names no POST operation of this request.`));
      continue;
    }
    const out = new Map<number, boolean>();
    for (const reference of references) {
      const target = posts.get(reference.bulkId) ?? -1;
      out.set(target, (out.get(target) ?? true) && reference.deferrable);
    }
    edges.set(operation.index, out);
  }
  return edges;
}

const ascending = (a: number, b: number): number => a - b;

/**
 * Breaks each set of circular references (RFC 7644 §3.7.1). The operations of a cycle are
 * ordered so that each runs after what it references, and a reference to an operation that
 * then runs later is deferred: its element is left out of the create and added by a PATCH
 * afterwards (RFC §3.7.1's two groups that list each other as members). The order first
 * tried defers only the references that close a cycle; when one of those is not deferrable,
 * the order of the non-deferrable references alone (else request order) is used. When the
 * non-deferrable references themselves form a cycle, every operation of the cycle fails with
 * 409, as §3.7.1 allows.
 */
function breakCycles(edges: Edges, failures: Map<number, ScimError>, bulkIdOf: (index: number) => string): Map<number, Set<number>> {
  const deferred = new Map<number, Set<number>>();
  const sortedTargets = new Map([...edges].map(([node, out]) => [node, [...out.keys()].sort(ascending)]));
  const targets = (node: number): readonly number[] => sortedTargets.get(node) ?? [];
  for (const component of stronglyConnected([...edges.keys()], targets)) {
    const first = component[0];
    if (first === undefined || (component.length === 1 && edges.get(first)?.has(first) !== true)) continue;
    const members = new Set(component);
    const sorted = [...component].sort(ascending);
    const internal = (node: number): number[] => targets(node).filter((target) => members.has(target));
    const hard = (node: number): number[] => internal(node).filter((target) => edges.get(node)?.get(target) === false);
    const deferrable = (from: number, to: number): boolean => edges.get(from)?.get(to) === true;
    const order = dependencyOrder(sorted, internal, deferrable) ?? dependencyOrder(sorted, hard);
    if (order === undefined) {
      const names = sorted.map((node) => `bulkId:${bulkIdOf(node)}`).join(', ');
      for (const node of sorted) {
        failures.set(node, new ConflictError(`Operations[${node}]: the circular references between ${names} cannot be resolved; at least one of them must be in a multi-valued attribute such as members.`));
      }
      continue;
    }
    const position = new Map(order.map((node, at) => [node, at]));
    for (const node of sorted) {
      for (const target of targets(node)) {
        if (!members.has(target) || (position.get(target) ?? 0) < (position.get(node) ?? 0)) continue;
        deferred.set(node, (deferred.get(node) ?? new Set<number>()).add(target));
      }
    }
  }
  return deferred;
}

/**
 * Orders a BulkRequest's operations (RFC 7644 §3.7): request order, except that a POST
 * referenced by an earlier operation moves ahead of it (a group's members are created before
 * the group), and circular references are broken by deferring elements (see breakCycles).
 */
export function planBulk(operations: readonly ReadOperation[]): BulkStep[] {
  const failures = new Map<number, ScimError>();
  const edges = buildEdges(operations, failures);
  const bulkIdOf = (index: number): string => operations[index]?.bulkId ?? '';
  const deferred = breakCycles(edges, failures, bulkIdOf);
  // Failed operations do not run, so what they reference need not run before them.
  const keptTargets = new Map<number, number[]>();
  for (const [node, out] of edges) {
    if (!failures.has(node)) keptTargets.set(node, [...out.keys()].filter((target) => deferred.get(node)?.has(target) !== true).sort(ascending));
  }
  const kept = (node: number): readonly number[] => keptTargets.get(node) ?? [];
  const order = dependencyOrder(operations.map((operation) => operation.index), kept);
  if (order === undefined) throw new Error('bulk plan: references still circular after breaking cycles');

  // A `complete` step runs once its operation and every operation it deferred have run.
  const waiting = new Map<number, number[]>();
  const remaining = new Map<number, number>();
  for (const [node, targets] of deferred) {
    if (failures.has(node)) continue;
    remaining.set(node, targets.size + 1);
    for (const target of [node, ...targets]) {
      const waiters = waiting.get(target);
      if (waiters === undefined) waiting.set(target, [node]);
      else waiters.push(node);
    }
  }
  const steps: BulkStep[] = [];
  for (const index of order) {
    const error = failures.get(index);
    if (error === undefined) {
      steps.push({ kind: 'run', index, deferred: new Set([...(deferred.get(index) ?? [])].map(bulkIdOf)) });
    } else {
      steps.push({ kind: 'fail', index, error });
    }
    for (const node of waiting.get(index) ?? []) {
      const left = (remaining.get(node) ?? 0) - 1;
      remaining.set(node, left);
      if (left === 0) steps.push({ kind: 'complete', index: node });
    }
  }
  return steps;
}
