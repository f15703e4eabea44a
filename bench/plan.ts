import type { Store } from '../src/store/store.js';
import type { Capabilities } from './capabilities.js';
import { withEventCheck } from './events-check.js';
import { rosterTarget, type BenchContext, type Scenario } from './scenario.js';
import { groupExcludedScenario, groupFullScenario, membershipAddScenario } from './scenarios-groups.js';
import { cursorPageScenario, filterUserNameScenario, helloScenario, listPageScenario, userByIdScenario } from './scenarios-read.js';
import { BULK_OPERATIONS, bulkScenario, userPatchScenario, userPostScenario, userPutScenario } from './scenarios-write.js';

/** The scenarios to run, in order, and those left out with the reason. */
export interface Plan {
  readonly scenarios: readonly Scenario[];
  readonly skipped: readonly string[];
}

/**
 * Reads first, then writes that keep the data set's shape (PATCH, PUT, membership pairs),
 * then the large read, then the writes that add users (POST, Bulk), which can be slow enough
 * to keep the server busy after their run; hello-world first, in the middle and before those
 * (the machine is shared: the median of the three is the reference).
 * With two PostgreSQL processes, each scaling scenario runs right after its one-process twin.
 */
export function planScenarios(context: BenchContext, capabilities: Capabilities, openCheckStore: () => Store): Plan {
  const skipped: string[] = [];
  const two = context.roster.length > 1 ? context.roster : undefined;
  const list: (Scenario | undefined)[] = [
    helloScenario(context, 'hello-start'),
    userByIdScenario(context),
    filterUserNameScenario(context),
    two === undefined ? undefined : filterUserNameScenario(context, rosterTarget(context, two), 'filter-username-x2'),
    listPageScenario(context),
    capabilities.cursor ? cursorPageScenario(context) : undefined,
    groupExcludedScenario(context, 'small'),
    groupExcludedScenario(context, 'large'),
    helloScenario(context, 'hello-mid'),
    userPatchScenario(context),
    two === undefined ? undefined : userPatchScenario(context, rosterTarget(context, two), 'user-patch-x2'),
    userPutScenario(context),
    membershipAddScenario(context, 'small'),
    membershipAddScenario(context, 'large'),
    groupFullScenario(context),
    helloScenario(context, 'hello-end'),
    withEventCheck(userPostScenario(context), openCheckStore, context.manifest.tenantId),
    capabilities.bulkUnavailable === undefined ? bulkScenario(context, operationsFor(capabilities, skipped)) : undefined,
  ];
  if (!capabilities.cursor) skipped.push('cursor-page: ServiceProviderConfig does not advertise pagination.cursor');
  if (capabilities.bulkUnavailable !== undefined) skipped.push(`bulk-1000: ${capabilities.bulkUnavailable}`);
  const only = context.options.only;
  const scenarios = list.filter((scenario): scenario is Scenario => scenario !== undefined && (only === undefined || scenario.id.startsWith('hello') || only.includes(scenario.id)));
  return { scenarios, skipped };
}

function operationsFor(capabilities: Capabilities, skipped: string[]): number {
  const max = capabilities.bulkMaxOperations;
  if (max > 0 && max < BULK_OPERATIONS) {
    skipped.push(`bulk-1000: ServiceProviderConfig allows ${max} operations per request; measured with ${max}`);
    return max;
  }
  return BULK_OPERATIONS;
}
