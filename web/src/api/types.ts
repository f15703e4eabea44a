/**
 * Shapes of the management API's answers: the types generated from its OpenAPI document for
 * the client package (packages/client/src/api-types.ts, a type-only import erased from the bundle).
 */

import type { components } from '../../../packages/client/src/api-types.js';

type Schemas = components['schemas'];

export type Session = Schemas['ConsoleSession'];

/**
 * Every tenant policy (docs/policies.md), typed from the server's settings schema: a type-only
 * import, erased from the console's bundle, so the console never loads server code.
 */
export type { DeletePolicy, SeatPolicy, SsoPolicy, TenantSettings } from '../../../src/policy/settings-schema.js';

export type Tenant = Schemas['Tenant'];

export type ScimToken = Schemas['Token'];

export type IssuedToken = Schemas['IssuedToken'];

/** A rotation's answer: the new token, and the old one, still working until revoked or `expiresAt`. */
export type RotatedToken = Schemas['RotatedToken'];

export type MemberStatus = Schemas['Member']['status'];

export type Member = Schemas['Member'];

/** A member with its whole SCIM profile (null when made by hand) and its direct groups. */
export type DirectoryMember = Schemas['DirectoryMember'];

/** A direct member of a group: a user or a nested group. */
export type GroupMember = Schemas['GroupMember'];

export type Seats = Schemas['Seats'];

/** A SCIM group of the groups list, with the role and access group it gives. */
export type GroupMapping = Schemas['DirectoryGroup'];

export type PendingPreview = Schemas['PendingPreview'];

export type PendingMemberChange = Schemas['PendingMemberChange'];

export type SyncResult = Schemas['SyncResult'];

export type UndeclaredAttribute = Schemas['UndeclaredAttribute'];

export type LogEntry = Schemas['LogEntry'];

/** Requests naming the tenant refused for want of valid credentials, per minute. */
export type RefusedSummary = Schemas['RefusedSummary'];

export type LogPage = Schemas['LogPage'];

export type WebhookEndpoint = Schemas['Webhook'];

export type DeliveryState = Schemas['Delivery']['state'];

export type Delivery = Schemas['Delivery'];

export type SetupLink = Schemas['SetupLink'];
