/**
 * Graph walks for ordering bulk operations. Nodes are operation indexes; an edge v → t means
 * "v references the resource t creates". Both walks are iterative, so a long chain of
 * references (up to maxOperations, which is configurable) cannot overflow the stack.
 */
export type Successors = (node: number) => readonly number[];

/**
 * Strongly connected components (Tarjan). A component of several nodes, or of one node with
 * an edge to itself, is a set of circular references (RFC 7644 §3.7.1).
 */
export function stronglyConnected(nodes: readonly number[], successors: Successors): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each frame is a node and the position of the next successor to look at.
    const frames: { node: number; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) break;
      const next = successors(frame.node)[frame.next++];
      if (next !== undefined) {
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          frames.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(next) ?? 0));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: number[] = [];
      let member: number | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      components.push(component);
    }
  }
  return components;
}

/**
 * Depth-first post-order from `roots` in the order given: every node comes after the nodes
 * it references, and otherwise keeps its place, so operations move only as far as their
 * references require (RFC 7644 §3.7: reorder only where the client's intent is kept).
 * An edge that closes a cycle is left out when `skip` allows it (the caller defers it);
 * otherwise the result is undefined.
 */
export function dependencyOrder(roots: readonly number[], successors: Successors, skip: (from: number, to: number) => boolean = () => false): number[] | undefined {
  const done = new Set<number>();
  const open = new Set<number>();
  const order: number[] = [];
  for (const root of roots) {
    if (done.has(root)) continue;
    const frames: { node: number; next: number }[] = [{ node: root, next: 0 }];
    open.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) break;
      const next = successors(frame.node)[frame.next++];
      if (next === undefined) {
        frames.pop();
        open.delete(frame.node);
        done.add(frame.node);
        order.push(frame.node);
      } else if (open.has(next)) {
        if (!skip(frame.node, next)) return undefined;
      } else if (!done.has(next)) {
        open.add(next);
        frames.push({ node: next, next: 0 });
      }
    }
  }
  return order;
}
