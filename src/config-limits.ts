import { DEFAULT_LIMITS, type LimitsConfig } from './limits.js';

/**
 * The request limits of `roster serve`, read from environment variables. Each one is in
 * docs/operations.md ("Limits"); buildApp applies them (src/http/app.ts). An unset variable
 * keeps the default of src/limits.ts.
 */

/** A whole number from `min` to `max` from the variable `name`, else `fallback` when unset. */
export function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Invalid ${name} "${text}": use a whole number from ${min} to ${max}.`);
  }
  return value;
}

const MAX_BYTES = 1024 * 1_048_576;

/** Reads the limits from the environment; an out-of-range value stops the start with a message naming it. */
export function loadLimits(env: NodeJS.ProcessEnv = process.env): LimitsConfig {
  const d = DEFAULT_LIMITS;
  const pageMax = integer(env, 'ROSTER_MAX_PAGE_SIZE', d.pageSize.max, 1, 100_000);
  const pageDefault = integer(env, 'ROSTER_PAGE_SIZE', Math.min(d.pageSize.default, pageMax), 1, pageMax);
  return {
    bodyLimit: integer(env, 'ROSTER_BODY_LIMIT', d.bodyLimit, 1024, MAX_BYTES),
    jsonMaxDepth: integer(env, 'ROSTER_JSON_MAX_DEPTH', d.jsonMaxDepth, 4, 1000),
    filter: {
      maxLength: integer(env, 'ROSTER_FILTER_MAX_LENGTH', d.filter.maxLength, 16, 1_000_000),
      maxDepth: integer(env, 'ROSTER_FILTER_MAX_DEPTH', d.filter.maxDepth, 1, 1000),
      maxCost: integer(env, 'ROSTER_FILTER_MAX_COST', d.filter.maxCost, 1, 1_000_000),
    },
    pageSize: { default: pageDefault, max: pageMax },
    bulk: {
      maxOperations: integer(env, 'ROSTER_BULK_MAX_OPERATIONS', d.bulk.maxOperations, 1, 1_000_000),
      maxPayloadSize: integer(env, 'ROSTER_BULK_MAX_PAYLOAD_SIZE', d.bulk.maxPayloadSize, 1024, MAX_BYTES),
    },
    rateLimit: {
      windowSeconds: integer(env, 'ROSTER_RATE_LIMIT_WINDOW', d.rateLimit.windowSeconds, 1, 3600),
      perToken: integer(env, 'ROSTER_RATE_LIMIT_PER_TOKEN', d.rateLimit.perToken, 0, 100_000_000),
      perTenant: integer(env, 'ROSTER_RATE_LIMIT_PER_TENANT', d.rateLimit.perTenant, 0, 100_000_000),
    },
    list: {
      deadlineMs: integer(env, 'ROSTER_LIST_DEADLINE_MS', d.list.deadlineMs, 10, 3_600_000),
      concurrencyPerTenant: integer(env, 'ROSTER_LIST_CONCURRENCY_PER_TENANT', d.list.concurrencyPerTenant, 1, 1000),
    },
    resource: {
      patchOperations: integer(env, 'ROSTER_PATCH_MAX_OPERATIONS', d.resource.patchOperations, 1, 1_000_000),
      valuesPerAttribute: integer(env, 'ROSTER_MAX_VALUES_PER_ATTRIBUTE', d.resource.valuesPerAttribute, 1, 1_000_000),
      indexedStringLength: integer(env, 'ROSTER_MAX_INDEXED_STRING_LENGTH', d.resource.indexedStringLength, 16, 600),
      resourceBytes: integer(env, 'ROSTER_MAX_RESOURCE_SIZE', d.resource.resourceBytes, 1024, MAX_BYTES),
    },
  };
}
