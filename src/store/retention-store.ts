import type { JsonObject } from '../scim/json.js';
import type { EventRecord } from './records.js';

/** What one pruning batch may remove (docs/security.md, "What is kept"). */
export interface PruneLimits {
  /** Events that occurred before this time (ISO) may go. */
  readonly before: string;
  /** Events that occurred before this time go even when a paused webhook endpoint has not received them. */
  readonly pausedBefore: string;
  /** At most this many events per batch. */
  readonly limit: number;
}

/** Erasure work a deletion left to the background, and how far it has got. */
/** The events of a group that name one of its members (`memberId`, and a user's `userName`). */
export const MEMBERSHIP_EVENT_TYPES = ['group.member_added', 'group.member_removed'] as const;

export interface ErasureRecord {
  readonly tenantId: string;
  readonly id: string;
  /** It covers the events up to this seq and the log entries started up to `createdAt`. */
  readonly upToSeq: number;
  readonly createdAt: string;
  /**
   * One user's identifiers (userName, externalId, emails): only the log entries that name one
   * are erased, and the membership events whose member is that user (its id is the erasure's
   * `id`). Undefined: every entry, every user event and every user's name in membership
   * events, up to `upToSeq`.
   */
  readonly terms: readonly string[] | undefined;
  /** The last event seq already erased. */
  readonly eventSeq: number;
  /** The last provisioning-log entry already erased; undefined before the first. */
  readonly logAfter: LogKey | undefined;
}

/** A provisioning-log entry's place in key order. */
export interface LogKey {
  readonly startedAt: string;
  readonly id: string;
}

/** An event's new payload (its personal data erased). */
export interface PayloadReplacement {
  readonly seq: number;
  readonly payload: JsonObject;
}

/**
 * Event retention and erasure. Pruning removes a prefix of a tenant's outbox and records the
 * last event it removed (the horizon), so that a feed reader behind it is told, never skipped.
 */
export interface RetentionStore {
  /** Every tenant with events, deleted ones too. */
  tenantsWithEvents(): Promise<readonly string[]>;
  /**
   * Inside a transaction: removes the oldest events of the tenant, up to `limit.limit`, that
   * occurred before `limits.before` and that no enabled webhook endpoint still needs (past its
   * cursor, or with a pending delivery), nor a paused one unless older than `pausedBefore`;
   * with them, their deliveries (delivered, dead, or pending for an endpoint paused too long).
   * Stops at the first event it must keep. Returns how many it removed.
   */
  pruneBatch(tenantId: string, limits: PruneLimits): Promise<number>;
  /** The seq of the tenant's last pruned event; 0 when none was. */
  prunedSeq(tenantId: string): Promise<number>;
  /**
   * Whether pruning removed an event that comes after this global feed position (of every
   * tenant, or of one): a reader continuing from it would miss that event.
   * Throws InvalidCursor for a position the store did not issue.
   */
  prunedAfter(position: string, tenantId?: string): Promise<boolean>;

  /** A resource's events (all of them: a user's events are few). */
  eventsOf(tenantId: string, resourceId: string): Promise<readonly EventRecord[]>;
  /**
   * Events that may name a user after `afterSeq` up to `upToSeq`, oldest first: those about
   * users (`resource.type` User) and the membership events (MEMBERSHIP_EVENT_TYPES).
   */
  personalEventsAfter(tenantId: string, afterSeq: number, upToSeq: number, limit: number): Promise<readonly EventRecord[]>;
  /** Rewrites events' payloads, nothing else. */
  replacePayloads(tenantId: string, replacements: readonly PayloadReplacement[]): Promise<void>;

  /**
   * Records erasure work for the background, in the transaction of the deletion that needs
   * it: the tenant's user events up to its last seq now and its log entries up to `at`; with
   * `terms`, only the log entries that name one of them and the membership events naming the
   * member `id` (one user's, its own events erased already).
   */
  addErasure(tenantId: string, id: string, at: string, terms?: readonly string[]): Promise<void>;
  /**
   * Inside a transaction: the oldest unfinished erasure recorded at or before `recordedBy`
   * that no other process is working on, locked until commit.
   */
  nextErasure(recordedBy: string): Promise<ErasureRecord | undefined>;
  saveErasure(erasure: ErasureRecord): Promise<void>;
  removeErasure(tenantId: string, id: string): Promise<void>;
}
