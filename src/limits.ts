/**
 * The limits a client's request is held to, and their defaults (docs/operations.md,
 * "Limits"). Plain data that every layer may read; config-limits.ts reads the configured
 * values from the environment.
 */

/** A per-token and per-tenant fixed-window request limit; 0 turns either check off. */
export interface RateLimitConfig {
  /** Length of one counting window in seconds. */
  readonly windowSeconds: number;
  /** Requests one SCIM token may make per window. */
  readonly perToken: number;
  /** Requests all tokens of one tenant together may make per window. */
  readonly perTenant: number;
}

/** Every limit a client's request is held to. */
export interface LimitsConfig {
  /** Largest request body in bytes (413 beyond it). */
  readonly bodyLimit: number;
  /** Deepest nesting of arrays and objects in a JSON body (400 invalidSyntax beyond it). */
  readonly jsonMaxDepth: number;
  /**
   * Longest `filter` in characters, its deepest nesting, and its largest cost (comparisons,
   * substring tests and value paths, src/scim/filter/cost.ts): 400 invalidFilter beyond any.
   */
  readonly filter: { readonly maxLength: number; readonly maxDepth: number; readonly maxCost: number };
  /** Page size when a list names no `count`, and the largest `count` honoured. */
  readonly pageSize: { readonly default: number; readonly max: number };
  /** /Bulk limits (RFC 7644 §3.7.4), advertised in ServiceProviderConfig. */
  readonly bulk: { readonly maxOperations: number; readonly maxPayloadSize: number };
  readonly rateLimit: RateLimitConfig;
  /** What one SCIM list or search may take (src/service/list-gate.ts, the stores' deadlines). */
  readonly list: ListLimits;
  /** How big a resource and a change to it may be (src/scim/resource/resource-limits.ts). */
  readonly resource: ResourceLimits;
}

/** Bounds on the work of one list request. */
export interface ListLimits {
  /** Milliseconds a list or search may run, queue included, before it is stopped (503 with Retry-After). */
  readonly deadlineMs: number;
  /** Expensive lists (src/scim/filter/cost.ts) one tenant may run at once in a process; more wait their turn. */
  readonly concurrencyPerTenant: number;
}

/** Bounds on the size of a resource and of a PATCH. */
export interface ResourceLimits {
  /** Operations in one PATCH request (400 invalidValue beyond). */
  readonly patchOperations: number;
  /** Values of one multi-valued attribute of a user (`emails`, …); a group's `members` is not capped. */
  readonly valuesPerAttribute: number;
  /** Characters of an indexed string: userName, externalId, displayName. */
  readonly indexedStringLength: number;
  /** Bytes of a resource's JSON, its group `members` left out. */
  readonly resourceBytes: number;
}

/**
 * The defaults of every limit, declared here only: `roster serve` starts from them
 * (config-limits.ts), buildApp and the SCIM plugin fall back to them for what their options
 * leave out, and the filter parser for a filter parsed without limits (a PATCH path).
 */
export const DEFAULT_LIMITS: LimitsConfig = {
  bodyLimit: 1_048_576,
  jsonMaxDepth: 32,
  // A cost of 50 is ten substring tests, or more than IdPs' lookups ever combine.
  filter: { maxLength: 4096, maxDepth: 32, maxCost: 50 },
  pageSize: { default: 100, max: 1000 },
  bulk: { maxOperations: 1000, maxPayloadSize: 1_048_576 },
  // Ten seconds keeps Retry-After short; 1,000 a window (100/s per token) is far above what
  // Entra or Okta send, so only a runaway client meets it.
  rateLimit: { windowSeconds: 10, perToken: 1000, perTenant: 2000 },
  list: { deadlineMs: 5000, concurrencyPerTenant: 2 },
  // 512 characters stay below PostgreSQL's B-tree row limit (~2.7 KB) in any UTF-8.
  resource: { patchOperations: 1000, valuesPerAttribute: 100, indexedStringLength: 512, resourceBytes: 65_536 },
};
