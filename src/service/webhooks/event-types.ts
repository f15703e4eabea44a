import { Invalid } from '../errors.js';

/** `user.created`, a family `user.*`, or `*`. */
const PATTERN = /^(\*|[a-z][a-z_]*\.\*|[a-z][a-z_]*\.[a-z][a-z_]*)$/;

/** Checks an endpoint's event-type filters (an empty list means every type). */
export function checkEventTypes(patterns: readonly string[]): readonly string[] {
  for (const pattern of patterns) {
    if (!PATTERN.test(pattern)) throw new Invalid(`"${pattern}" is not an event type filter: use a type (user.created), a family (user.*) or *.`);
  }
  return [...new Set(patterns)];
}

/** Whether an endpoint with these filters receives events of `type`. */
export function typeMatches(patterns: readonly string[], type: string): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}
