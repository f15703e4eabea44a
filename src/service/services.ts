import type { Store } from '../store/store.js';
import { GroupService } from './groups.js';
import { OperatorKeyService } from './operator-keys.js';
import { TenantService } from './tenants.js';
import { TokenService } from './tokens.js';
import { UserService } from './users.js';
import { ConsoleSessionService } from './console-sessions.js';
import { SetupLinkService } from './setup-links.js';

/** Everything the HTTP layer and the CLI call. */
export interface Services {
  readonly store: Store;
  readonly tenants: TenantService;
  readonly tokens: TokenService;
  readonly users: UserService;
  readonly groups: GroupService;
  readonly operatorKeys: OperatorKeyService;
  readonly setupLinks: SetupLinkService;
  readonly consoleSessions: ConsoleSessionService;
}

export function createServices(store: Store): Services {
  const operatorKeys = new OperatorKeyService(store);
  const setupLinks = new SetupLinkService(store);
  return {
    store,
    tenants: new TenantService(store),
    tokens: new TokenService(store),
    users: new UserService(store),
    groups: new GroupService(store),
    operatorKeys,
    setupLinks,
    consoleSessions: new ConsoleSessionService(store, operatorKeys, setupLinks),
  };
}
