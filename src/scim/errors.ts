/**
 * SCIM errors (RFC 7644 §3.12). One class per error kind; the HTTP layer turns any of them
 * into an `urn:ietf:params:scim:api:messages:2.0:Error` body in one place.
 */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

export abstract class ScimError extends Error {
  abstract readonly status: number;
  readonly scimType: ScimType | undefined = undefined;
  /** Extra response headers, such as WWW-Authenticate or Retry-After. */
  readonly headers: Readonly<Record<string, string>> = {};

  constructor(readonly detail: string) {
    super(detail);
    this.name = new.target.name;
  }
}

abstract class BadRequest extends ScimError {
  readonly status = 400;
}

export class InvalidFilterError extends BadRequest {
  override readonly scimType = 'invalidFilter';
}
export class MutabilityError extends BadRequest {
  override readonly scimType = 'mutability';
}
export class InvalidSyntaxError extends BadRequest {
  override readonly scimType = 'invalidSyntax';
}
export class InvalidPathError extends BadRequest {
  override readonly scimType = 'invalidPath';
}
export class NoTargetError extends BadRequest {
  override readonly scimType = 'noTarget';
}
export class InvalidValueError extends BadRequest {
  override readonly scimType = 'invalidValue';
}
export class InvalidCursorError extends BadRequest {
  override readonly scimType = 'invalidCursor';
}
export class InvalidCountError extends BadRequest {
  override readonly scimType = 'invalidCount';
}

/** 409 with scimType `uniqueness` (RFC 7644 §3.3). */
export class UniquenessError extends ScimError {
  readonly status = 409;
  override readonly scimType = 'uniqueness';
}
/** 409 without a scimType: a conflict that is not about uniqueness (e.g. a seat limit). */
export class ConflictError extends ScimError {
  readonly status = 409;
}
export class UnauthorizedError extends ScimError {
  readonly status = 401;
  override readonly headers = { 'www-authenticate': 'Bearer realm="roster"' };
  constructor() {
    super('Authentication failed: a valid bearer token for this SCIM endpoint is required.');
  }
}
export class ForbiddenError extends ScimError {
  readonly status = 403;
}
export class NotFoundError extends ScimError {
  readonly status = 404;
}
export class MethodNotAllowedError extends ScimError {
  readonly status = 405;
}
export class PreconditionFailedError extends ScimError {
  readonly status = 412;
}
export class PayloadTooLargeError extends ScimError {
  readonly status = 413;
}
export class UnsupportedMediaTypeError extends ScimError {
  readonly status = 415;
}
/** An error that tells the client when to try again (Retry-After, in seconds). */
abstract class RetryLaterError extends ScimError {
  override readonly headers: Readonly<Record<string, string>>;
  constructor(detail: string, retryAfterSeconds: number) {
    super(detail);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}
export class TooManyRequestsError extends RetryLaterError {
  readonly status = 429;
}
/** 503 with Retry-After: the request was stopped to keep the service fair (a list past its deadline). */
export class ServiceUnavailableError extends RetryLaterError {
  readonly status = 503;
}
export class InternalError extends ScimError {
  readonly status = 500;
}
/** 501: a SCIM feature Roster does not offer, such as /Me (RFC 7644 §3.11). */
export class UnsupportedOperationError extends ScimError {
  readonly status = 501;
}
