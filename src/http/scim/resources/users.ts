import { userResourceType } from '../../../schema/registry.js';
import type { UserService, UserView } from '../../../service/users.js';
import { presentUser } from '../present.js';
import type { ResourceEndpoint } from '../resource-routes.js';

/** SCIM /Users, as its routes, the root search and /Bulk all call it. */
export function userEndpoint(users: UserService): ResourceEndpoint<UserView> {
  return {
    resourceType: userResourceType,
    create: (context, body) => users.create(context, body),
    get: (context, id) => users.get(context, id),
    list: (context, params) => users.list(context, params),
    replace: (context, id, body, ifMatch) => users.replace(context, id, body, ifMatch),
    patch: (context, id, body, ifMatch) => users.patch(context, id, body, ifMatch),
    remove: (context, id, ifMatch) => users.remove(context, id, ifMatch),
    present: presentUser,
    versionOf: (view) => view.record.version,
    idOf: (view) => view.record.id,
    patchAnswer: 'resource',
  };
}
