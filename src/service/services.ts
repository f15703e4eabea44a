import type { Store } from '../store/store.js';
import { GroupService } from './groups.js';
import { OperatorKeyService } from './operator-keys.js';
import { TenantService } from './tenants.js';
import { TokenService } from './tokens.js';
import { TokenCache } from './token-cache.js';
import { UserService } from './users.js';
import { TenantPolicy } from '../policy/tenant-policy.js';
import { DirectoryService } from './directory.js';
import { MemberService } from './members.js';
import { PendingChangeService } from './pending-changes.js';
import { UndeclaredAttributeService } from './undeclared-attributes.js';
import { ScimSetupService } from './scim-setup.js';
import { SsoLoginService } from './sso-login.js';
import { TenantSettingsService } from './tenant-settings.js';
import { EventFeedService } from './event-feed.js';
import { withProvisioningLog } from './provisioning-log/logged-store.js';
import { LogRecorder } from './provisioning-log/log-recorder.js';
import { ProvisioningLogService } from './provisioning-log/log-service.js';
import { WebhookService, type WebhookServiceOptions } from './webhooks/webhook-service.js';
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
  /** Provisioning policies (docs/policies.md): settings, members, pending changes, SCIM setup, SSO decisions. */
  readonly settings: TenantSettingsService;
  readonly members: MemberService;
  readonly pendingChanges: PendingChangeService;
  /** Attributes IdPs sent that the tenant's schemas do not declare. */
  readonly undeclaredAttributes: UndeclaredAttributeService;
  readonly scimSetup: ScimSetupService;
  readonly ssoLogin: SsoLoginService;
  /** The directory read API: members with profiles and groups, groups with members, with their feed position. */
  readonly directory: DirectoryService;
  readonly setupLinks: SetupLinkService;
  readonly consoleSessions: ConsoleSessionService;
  readonly webhooks: WebhookService;
  readonly eventFeed: EventFeedService;
  readonly provisioningLog: ProvisioningLogService;
}

export interface ServiceOptions {
  /** Webhook targets and test sends; by default from ROSTER_WEBHOOK_ALLOW_PRIVATE. */
  readonly webhooks?: WebhookServiceOptions;
}

export function createServices(backing: Store, options: ServiceOptions = {}): Services {
  // Every service writes through the logged store: inside a SCIM request, each transaction
  // also commits the request's provisioning-log entry (docs/architecture.md). The recorder
  // writes the after-the-response rows on the store itself.
  const store = withProvisioningLog(backing);
  const operatorKeys = new OperatorKeyService(store);
  const setupLinks = new SetupLinkService(store);
  // The seeds' tenant policies run inside every SCIM write (src/policy/tenant-policy.ts).
  const policy = new TenantPolicy();
  // One per process: the services that revoke tokens or change settings forget from it.
  const tokenCache = new TokenCache();
  return {
    store,
    tenants: new TenantService(store, tokenCache),
    tokens: new TokenService(store, tokenCache),
    users: new UserService(store, policy),
    groups: new GroupService(store, policy),
    settings: new TenantSettingsService(store, tokenCache),
    members: new MemberService(store),
    pendingChanges: new PendingChangeService(store),
    undeclaredAttributes: new UndeclaredAttributeService(store),
    scimSetup: new ScimSetupService(store, tokenCache),
    ssoLogin: new SsoLoginService(store),
    directory: new DirectoryService(store),
    operatorKeys,
    setupLinks,
    consoleSessions: new ConsoleSessionService(store, operatorKeys, setupLinks),
    webhooks: new WebhookService(store, options.webhooks),
    eventFeed: new EventFeedService(store),
    provisioningLog: new ProvisioningLogService(store, new LogRecorder(backing)),
  };
}
