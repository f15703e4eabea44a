import { groupResourceType } from '../../../schema/registry.js';
import { UnsupportedOperationError } from '../../../scim/errors.js';
import { projectionShows, type Projection } from '../../../scim/projection.js';
import type { ScimContext } from '../../../service/context.js';
import type { GroupReadOptions, GroupService, GroupView } from '../../../service/groups.js';
import { streamGroup } from '../group-stream.js';
import { presentGroup } from '../present.js';
import type { ResourceEndpoint } from '../resource-routes.js';

/**
 * A group's members are read only when the response will show them (Entra sends
 * excludedAttributes=members on every group read; /Bulk shows no resource at all).
 */
function members(projection: Projection): GroupReadOptions {
  return { withMemberships: projectionShows(projection, 'members') };
}

/** A plain GET of one group streams its members instead of reading them all first. */
function streams(projection: Projection): boolean {
  return projection.kind === 'default';
}

/** Seed 004 takes Users only: a tenant whose `groupsEnabled` setting is false offers no /Groups. */
function offered(context: ScimContext): boolean {
  return context.tenant.settings.groupsEnabled;
}

/** Every /Groups request of a tenant that takes no groups answers 501, saying why. */
async function ifOffered<T>(context: ScimContext, work: () => Promise<T>): Promise<T> {
  if (!offered(context)) throw new UnsupportedOperationError('This tenant does not accept groups (its groupsEnabled setting is false): provision Users only.');
  return work();
}

/** SCIM /Groups, as its routes, the root search and /Bulk all call it. */
export function groupEndpoint(groups: GroupService): ResourceEndpoint<GroupView> {
  return {
    resourceType: groupResourceType,
    offered,
    create: (context, body) => ifOffered(context, () => groups.create(context, body)),
    get: (context, id, projection) => ifOffered(context, () => groups.get(context, id, streams(projection) ? { withMemberships: false } : members(projection))),
    streamItem: (view, state, projection) =>
      streams(projection) ? streamGroup(view, groups.membershipPages(state.context, view.record.id)[Symbol.asyncIterator](), state) : undefined,
    list: (context, params, projection) => ifOffered(context, () => groups.list(context, params, members(projection))),
    replace: (context, id, body, ifMatch) => ifOffered(context, () => groups.replace(context, id, body, ifMatch)),
    patch: (context, id, body, ifMatch, projection) => ifOffered(context, () => groups.patch(context, id, body, ifMatch, members(projection))),
    remove: (context, id, ifMatch) => ifOffered(context, () => groups.remove(context, id, ifMatch)),
    present: presentGroup,
    versionOf: (view) => view.record.version,
    idOf: (view) => view.record.id,
    patchAnswer: 'noContent',
  };
}
