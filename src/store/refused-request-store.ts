/** How many SCIM requests naming one tenant were refused for want of valid credentials in one minute. */
export interface RefusedMinute {
  readonly tenantId: string;
  /** The start of the minute, ISO-8601 (`…T09:41:00.000Z`). */
  readonly minute: string;
  readonly count: number;
  /** The last of them: when, its status (401), and its user agent (cut short). */
  readonly lastAt: string;
  readonly lastStatus: number;
  readonly lastUserAgent: string | null;
}

/** The summary of refused requests: a row per tenant and minute, never a row per request. */
export interface RefusedRequestStore {
  /** Adds counts to their minutes' rows (creating them); the later `lastAt` keeps its details. */
  add(minutes: readonly RefusedMinute[]): Promise<void>;
  /** A tenant's minutes from `since` (inclusive), newest first. */
  list(tenantId: string, since: string, limit: number): Promise<readonly RefusedMinute[]>;
  /** Removes up to `limit` of a tenant's minutes older than `before`; how many. */
  prune(tenantId: string, before: string, limit: number): Promise<number>;
}
