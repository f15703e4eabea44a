/**
 * Errors of the management surfaces (management API, CLI). Each kind has a stable
 * UPPER_SNAKE code from `API_ERROR_CODES`, documented in docs/api-errors.md; clients and
 * tests rely on codes, never on messages. The SCIM API never shows these.
 */
export const API_ERROR_CODES = {
  UNAUTHORIZED: { status: 401, description: 'The request has no valid operator key (Authorization: Bearer rok_…).' },
  NOT_FOUND: { status: 404, description: 'The tenant, token or other resource does not exist.' },
  VALIDATION_FAILED: { status: 400, description: 'The request body, query or path does not match the documented schema.' },
  INVALID: { status: 400, description: 'The request is well-formed but its values cannot be used (e.g. an empty name).' },
  FORBIDDEN: { status: 403, description: 'The credential is valid but may not do this (a setup link\'s console session managing setup links, say).' },
  CSRF_REJECTED: { status: 403, description: 'A console session\'s state change without its CSRF token (X-CSRF-Token header) or from another origin.' },
  TOO_MANY_SIGN_INS: { status: 429, description: 'Too many failed console sign-ins from this address; try again after the Retry-After header\'s seconds.' },
  CONFLICT: { status: 409, description: 'The request conflicts with the current state.' },
  ROLE_MANAGED_BY_SCIM: { status: 409, description: 'The member\'s role comes from an IdP group (admin group or role mapping); change it in the IdP or in the mappings.' },
  STATUS_MANAGED_BY_SCIM: { status: 409, description: 'The member\'s status follows the IdP while SCIM is enabled; only an inactive member may be given a seat by hand.' },
  SEAT_LIMIT_REACHED: { status: 409, description: 'Every seat of the tenant\'s seatLimit is taken by an active member.' },
  SCIM_DISABLED: { status: 409, description: 'SCIM is disabled for the tenant (scimEnabled: false); enable it first.' },
  SCIM_MEMBERS_ACTIVE: { status: 409, description: 'The SCIM setup cannot be deleted while SCIM-provisioned members are active; deprovision them in the IdP first.' },
  WEBHOOK_URL_NOT_PUBLIC: { status: 400, description: 'The webhook URL\'s host is, or resolves to, a loopback, private, link-local or other non-public address (allowed only with ROSTER_WEBHOOK_ALLOW_PRIVATE=true).' },
  FEED_POSITION_EXPIRED: { status: 410, description: 'The event feed cursor (after) is older than the events Roster keeps: continuing from it would skip pruned events. Take a new snapshot (the read API) and follow the feed from its position.' },
  INTERNAL: { status: 500, description: 'An unexpected failure; it has been logged.' },
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export abstract class ServiceError extends Error {
  abstract readonly code: ApiErrorCode;

  get status(): number {
    return API_ERROR_CODES[this.code].status;
  }
}

export class NotFound extends ServiceError {
  readonly code = 'NOT_FOUND';
}

export class Invalid extends ServiceError {
  readonly code = 'INVALID';
}

export class WebhookUrlNotPublic extends ServiceError {
  readonly code = 'WEBHOOK_URL_NOT_PUBLIC';
}

export class Conflict extends ServiceError {
  readonly code = 'CONFLICT';
}

/**
 * The feed position is older than what retention keeps (docs/events.md, "Retention"): the
 * events right after it were pruned, so continuing would skip them. Answered 410 with a
 * SCIM-style body as well as the usual code.
 */
export class FeedPositionExpired extends ServiceError {
  readonly code = 'FEED_POSITION_EXPIRED';
}
