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
  /** Longest `filter` in characters, and its deepest nesting (400 invalidFilter beyond either). */
  readonly filter: { readonly maxLength: number; readonly maxDepth: number };
  /** Page size when a list names no `count`, and the largest `count` honoured. */
  readonly pageSize: { readonly default: number; readonly max: number };
  /** /Bulk limits (RFC 7644 §3.7.4), advertised in ServiceProviderConfig. */
  readonly bulk: { readonly maxOperations: number; readonly maxPayloadSize: number };
  readonly rateLimit: RateLimitConfig;
}

/**
 * The defaults of every limit, declared here only: `roster serve` starts from them
 * (config-limits.ts), buildApp and the SCIM plugin fall back to them for what their options
 * leave out, and the filter parser for a filter parsed without limits (a PATCH path).
 */
export const DEFAULT_LIMITS: LimitsConfig = {
  bodyLimit: 1_048_576,
  jsonMaxDepth: 32,
  filter: { maxLength: 4096, maxDepth: 32 },
  pageSize: { default: 100, max: 1000 },
  bulk: { maxOperations: 1000, maxPayloadSize: 1_048_576 },
  // Ten seconds keeps Retry-After short; 1,000 a window (100/s per token) is far above what
  // Entra or Okta send, so only a runaway client meets it.
  rateLimit: { windowSeconds: 10, perToken: 1000, perTenant: 2000 },
};
