import { isExpensiveFilter } from '../../scim/filter/cost.js';
import type { ScimContext } from '../../service/context.js';
import type { ListParams } from '../../service/list.js';
import type { TenantListGate } from '../../service/list-gate.js';

/** How lists are held to their deadline and to the per-tenant concurrency of expensive ones. */
export interface ListGuard {
  readonly gate: TenantListGate;
  readonly deadlineMs: number;
}

/**
 * Runs one list with a deadline counted from now; an expensive one (a filter beyond `eq`
 * lookups, src/scim/filter/cost.ts) first waits for a slot of its tenant's gate.
 */
export function guardedList<T>(guard: ListGuard | undefined, context: ScimContext, params: ListParams, list: (params: ListParams) => Promise<T>): Promise<T> {
  if (guard === undefined) return list(params);
  const deadline = Date.now() + guard.deadlineMs;
  const bounded = { ...params, deadline };
  if (params.filter === undefined || !isExpensiveFilter(params.filter)) return list(bounded);
  return guard.gate.run(context.tenant.id, deadline, () => list(bounded));
}
