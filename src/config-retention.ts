import { integer } from './config-limits.js';

/** How long events are kept, and how they are pruned (docs/operations.md, "Retention"). */
export interface RetentionConfig {
  /** ROSTER_EVENT_RETENTION_DAYS (30): events older than this are pruned; 0 keeps them for ever. */
  readonly eventDays: number;
  /**
   * ROSTER_EVENT_RETENTION_MAX_DAYS (90): events an enabled webhook endpoint has not received
   * are kept however old; for a paused endpoint, up to this age.
   */
  readonly eventMaxDays: number;
  /** ROSTER_EVENT_PRUNE_INTERVAL_MS (one hour): time between prunes. */
  readonly pruneIntervalMs: number;
  /** ROSTER_ERASURE_INTERVAL_MS (10 s): how often background erasures are looked for. */
  readonly erasureIntervalMs: number;
}

const DEFAULT_RETENTION: RetentionConfig = { eventDays: 30, eventMaxDays: 90, pruneIntervalMs: 3_600_000, erasureIntervalMs: 10_000 };

/** Reads the retention settings; an out-of-range value stops the start with a message naming it. */
export function loadRetention(env: NodeJS.ProcessEnv = process.env): RetentionConfig {
  const d = DEFAULT_RETENTION;
  const eventDays = integer(env, 'ROSTER_EVENT_RETENTION_DAYS', d.eventDays, 0, 36_500);
  const eventMaxDays = integer(env, 'ROSTER_EVENT_RETENTION_MAX_DAYS', Math.max(d.eventMaxDays, eventDays), eventDays, 36_500);
  return {
    eventDays,
    eventMaxDays,
    pruneIntervalMs: integer(env, 'ROSTER_EVENT_PRUNE_INTERVAL_MS', d.pruneIntervalMs, 1000, 86_400_000),
    erasureIntervalMs: integer(env, 'ROSTER_ERASURE_INTERVAL_MS', d.erasureIntervalMs, 100, 3_600_000),
  };
}
