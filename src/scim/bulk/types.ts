import type { ScimError } from '../errors.js';
import type { JsonObject } from '../json.js';

/** The HTTP methods a bulk operation may carry (RFC 7644 §3.7). */
export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The resource an operation's path names: a literal id, or the resource a POST of this request creates. */
export type ResourceRef = { readonly kind: 'id'; readonly id: string } | { readonly kind: 'bulkId'; readonly bulkId: string };

/** One well-formed operation of a BulkRequest. */
export interface BulkOperation {
  readonly kind: 'valid';
  /** Position in the request's `Operations` array. */
  readonly index: number;
  readonly method: BulkMethod;
  readonly bulkId: string | undefined;
  /** `version`: sent to the service as If-Match (RFC 7644 §3.7, §3.14). */
  readonly version: string | undefined;
  /** The resource type endpoint, e.g. `/Users`. */
  readonly endpoint: string;
  /** The resource of `/Users/{id}`; undefined for POST, which names the endpoint only. */
  readonly target: ResourceRef | undefined;
  /** The request body of the operation; undefined for DELETE. */
  readonly data: JsonObject | undefined;
}

/**
 * An operation that cannot run as sent (unknown method or path, missing data). It fails on
 * its own with `error`; the rest of the request still runs.
 */
export interface InvalidOperation {
  readonly kind: 'invalid';
  readonly index: number;
  /** The method as sent, echoed in the response when it is a string. */
  readonly method: string | undefined;
  readonly bulkId: string | undefined;
  /** True when the client sent it as a POST, so that references to its bulkId fail with 409. */
  readonly isPost: boolean;
  readonly error: ScimError;
}

export type ReadOperation = BulkOperation | InvalidOperation;

/** A BulkRequest whose envelope is valid (RFC 7644 §3.7). */
export interface BulkRequest {
  /** Stop after this many failed operations; undefined runs every operation. */
  readonly failOnErrors: number | undefined;
  readonly operations: readonly ReadOperation[];
}

/** The limits advertised in ServiceProviderConfig `bulk` and enforced (RFC 7644 §3.7.4). */
export interface BulkLimits {
  readonly maxOperations: number;
  readonly maxPayloadSize: number;
}
