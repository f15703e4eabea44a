import { initialSchema } from './001-initial-schema.js';
import { queryIndexes } from './002-query-indexes.js';
import { operatorKeys } from './003-operator-keys.js';
import { uniqueGroupNames } from './004-unique-group-names.js';
import { members } from './005-members.js';
import { webhooksAndLog } from './006-webhooks-and-log.js';
import { consoleAccess } from './010-console-access.js';
import { rateLimits } from './011-rate-limits.js';
import { memberLookupIndexes } from './012-member-lookup-indexes.js';
import { liveUsersByCreation } from './013-live-users-by-creation.js';
import { membershipDisplay } from './014-member-display.js';
import { standardWebhookSecrets } from './015-standard-webhook-secrets.js';
import { globalFeedAndTenants } from './016-global-feed-and-tenants.js';
import { memberSortIndexes } from './017-member-sort-indexes.js';
import { eventsByTypeAndTime } from './018-events-by-type-and-time.js';
import { eventRetention } from './019-event-retention.js';
import { memberRoles } from './020-member-roles.js';
import { refusedRequests } from './021-refused-requests.js';
import { logUndeclaredAndMemberRoles } from './022-log-undeclared-and-member-roles.js';
import { formerlyScimAndUndeclared } from './023-formerly-scim-and-undeclared.js';
import { substringIndexes } from './024-substring-indexes.js';
import { cheaperSubstringIndexes } from './025-cheaper-substring-indexes.js';
import { eventsNumberedAtCommit } from './026-events-numbered-at-commit.js';
import type { RosterMigration } from './types.js';

/**
 * Every migration, written once for both engines, in name order (the order the migrator runs
 * them in). A database that has later ones already (022 was merged after 023–025) runs the
 * one it lacks last.
 */
export const migrations: readonly RosterMigration[] = [initialSchema, queryIndexes, operatorKeys, uniqueGroupNames, members, webhooksAndLog, consoleAccess, rateLimits, memberLookupIndexes, liveUsersByCreation, membershipDisplay, standardWebhookSecrets, globalFeedAndTenants, memberSortIndexes, eventsByTypeAndTime, eventRetention, memberRoles, refusedRequests, logUndeclaredAndMemberRoles, formerlyScimAndUndeclared, substringIndexes, cheaperSubstringIndexes, eventsNumberedAtCommit];
