import { userResourceType } from '../../../schema/registry.js';
import type { UserService, UserView } from '../../../service/users.js';
import type { Projection } from '../../../scim/projection.js';
import { presentUser } from '../present.js';
import type { ResourceEndpoint } from '../resource-routes.js';

/** Whether a write reads back what a user shows beyond its row (groups, manager): not when nothing is shown (/Bulk). */
function readBack(projection: Projection): boolean {
  return !(projection.kind === 'include' && projection.selectors.length === 0);
}

/** SCIM /Users, as its routes, the root search and /Bulk all call it. */
export function userEndpoint(users: UserService): ResourceEndpoint<UserView> {
  return {
    resourceType: userResourceType,
    create: (context, body, projection) => users.create(context, body, readBack(projection)),
    get: (context, id) => users.get(context, id),
    list: (context, params) => users.list(context, params),
    replace: (context, id, body, ifMatch, projection) => users.replace(context, id, body, ifMatch, readBack(projection)),
    patch: (context, id, body, ifMatch, projection) => users.patch(context, id, body, ifMatch, readBack(projection)),
    remove: (context, id, ifMatch) => users.remove(context, id, ifMatch),
    present: presentUser,
    versionOf: (view) => view.record.version,
    idOf: (view) => view.record.id,
    patchAnswer: 'resource',
  };
}
