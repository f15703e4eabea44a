import type { LogKey } from './retention-store.js';

/** A resource a SCIM request touched. */
export interface LoggedResource {
  readonly type: string;
  readonly id: string;
}

/** One SCIM request in the provisioning log. */
export interface ProvisioningLogEntry {
  readonly tenantId: string;
  readonly id: string;
  readonly startedAt: string;
  /** Null while a write has committed and its response is not yet recorded. */
  readonly finishedAt: string | null;
  readonly tokenId: string | null;
  readonly tokenName: string | null;
  readonly method: string;
  /** Path and query string as the IdP sent them. */
  readonly path: string;
  /** Null until the response is recorded (see finishedAt). */
  readonly status: number | null;
  readonly durationMs: number | null;
  readonly userAgent: string | null;
  readonly resources: readonly LoggedResource[];
  /** How many events the request's writes appended. */
  readonly events: number;
  readonly scimType: string | null;
  readonly errorDetail: string | null;
  /** The request body as JSON text, secrets redacted, possibly truncated. */
  readonly requestBody: string | null;
  /**
   * Attribute paths the request's writes carried that the tenant's schemas do not declare
   * (ignored): names only, never values, so erasure leaves them. At most a few per request.
   */
  readonly undeclared: readonly string[];
}

/** The response half of an entry whose write committed before the response was sent. */
export interface LogCompletion {
  readonly tenantId: string;
  readonly id: string;
  readonly finishedAt: string;
  readonly status: number;
  readonly durationMs: number;
  readonly scimType: string | null;
  readonly errorDetail: string | null;
}

export interface LogSearch {
  /** Inclusive lower bound of startedAt (ISO). */
  readonly since?: string;
  /** Exclusive upper bound of startedAt (ISO). */
  readonly until?: string;
  /** Status range, inclusive (`4xx` is 400–499). */
  readonly status?: { readonly min: number; readonly max: number };
  readonly resourceId?: string;
  /** Substring of path, request body, error detail, user agent or token name. */
  readonly text?: string;
  readonly limit: number;
  /** Continue with entries older than this one (newest first). */
  readonly before?: { readonly startedAt: string; readonly id: string };
}

/** The provisioning log: written by the SCIM request scope, read by the management API. */
export interface ProvisioningLogStore {
  /**
   * Inserts the entry, or (the same id again: a later transaction of the same request, such
   * as the next operation of a /Bulk) updates its resources, event count and undeclared paths. `added` are the
   * entry's resources that earlier calls for it did not name: only they get search rows.
   */
  upsert(entry: ProvisioningLogEntry, added: readonly LoggedResource[]): Promise<void>;
  /** Inserts finished entries (requests that wrote nothing), in one statement per table. */
  insertMany(entries: readonly ProvisioningLogEntry[]): Promise<void>;
  /** Records the responses of entries written inside their write's transaction. */
  complete(completions: readonly LogCompletion[]): Promise<void>;
  /** Entries, newest first. */
  search(tenantId: string, query: LogSearch): Promise<readonly ProvisioningLogEntry[]>;
  /** Removes up to `limit` of a tenant's entries older than `before`; how many. */
  prune(tenantId: string, before: string, limit: number): Promise<number>;
  /** Erases the personal data of the entries that touched the resource (see `eraseAfter`). */
  eraseForResource(tenantId: string, resourceId: string): Promise<void>;
  /**
   * Erases the personal data of up to `limit` of the tenant's entries after `after` that
   * started up to `until`, in
   * (startedAt, id) order: the request body, the error detail and the path's query string
   * go; ids, method, status, times and the resources touched stay. Returns the last entry
   * it visited, undefined when none was left. With `terms`, only the entries whose path
   * (URL-decoded), body or error detail contains one of them, compared case-insensitively.
   */
  eraseAfter(tenantId: string, after: LogKey | undefined, until: string, limit: number, terms?: readonly string[]): Promise<LogKey | undefined>;
}
