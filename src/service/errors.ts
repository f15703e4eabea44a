/**
 * Errors of the management surfaces (CLI, management API) that are not SCIM errors. Each
 * has a stable code; the SCIM API never sees them.
 */
export abstract class ServiceError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
}

export class NotFound extends ServiceError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
}

export class Invalid extends ServiceError {
  readonly code = 'INVALID';
  readonly status = 400;
}
