import type { Store } from '../store/store.js';
import { GroupService } from './groups.js';
import { OperatorKeyService } from './operator-keys.js';
import { TenantService } from './tenants.js';
import { TokenService } from './tokens.js';
import { UserService } from './users.js';

/** Everything the HTTP layer and the CLI call. */
export interface Services {
  readonly store: Store;
  readonly tenants: TenantService;
  readonly tokens: TokenService;
  readonly users: UserService;
  readonly groups: GroupService;
  readonly operatorKeys: OperatorKeyService;
}

export function createServices(store: Store): Services {
  return {
    store,
    tenants: new TenantService(store),
    tokens: new TokenService(store),
    users: new UserService(store),
    groups: new GroupService(store),
    operatorKeys: new OperatorKeyService(store),
  };
}
