import type { JsonObject, JsonValue } from '../scim/json.js';
import type { EventRecord, UserRecord } from '../store/records.js';
import { MEMBERSHIP_EVENT_TYPES } from '../store/retention-store.js';
import type { StoreSession, Store } from '../store/store.js';
import { runPeriodically, type PeriodicTask } from './periodic.js';

/**
 * Payload fields that say nothing about a person, kept when an event is erased: the envelope's
 * own fields and the policies' codes. Everything else goes, except resources, reduced to
 * their `id` and `meta` (docs/security.md, "Erasure").
 */
const KEPT_FIELDS = new Set([
  'schemaVersion',
  'tenantId',
  'archived',
  'changedAttributes',
  'role',
  'previousRole',
  'roles',
  'previousRoles',
  'previousId',
  'accessGroupId',
  'previousAccessGroupId',
  'managedByScim',
  'by',
  'status',
  'previousStatus',
  'creator',
  // pending.discarded: how many queued changes, no person in it.
  'changes',
]);

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An event payload without personal data: ids, codes and times stay, attributes go; marked `erased: true`. */
export function erasedPayload(payload: JsonObject): JsonObject {
  const erased: JsonObject = {};
  for (const [name, value] of Object.entries(payload)) {
    if (KEPT_FIELDS.has(name)) erased[name] = value;
    else if (isObject(value) && typeof value.id === 'string') erased[name] = isObject(value.meta) ? { id: value.id, meta: value.meta } : { id: value.id };
  }
  erased.erased = true;
  return erased;
}

function replacements(events: readonly EventRecord[]): { seq: number; payload: JsonObject }[] {
  return events.map((event) => ({ seq: event.seq, payload: erasedPayload(event.payload) }));
}

function isMembershipEvent(event: EventRecord): boolean {
  return (MEMBERSHIP_EVENT_TYPES as readonly string[]).includes(event.type);
}

/**
 * A membership event belongs to its group, which stays: only the member's name goes, its id
 * and type stay, marked `erased: true`.
 */
function erasedMembership(payload: JsonObject): JsonObject {
  const { userName: _userName, ...rest } = payload;
  return { ...rest, erased: true };
}

/**
 * The replacements for a batch of the background erasure: with `memberId` (one user's
 * erasure), the membership events naming that user; without (a setup deletion), every user
 * event and every membership event naming a user. Events already erased are left alone.
 */
function backgroundReplacements(events: readonly EventRecord[], memberId: string | undefined): { seq: number; payload: JsonObject }[] {
  const result: { seq: number; payload: JsonObject }[] = [];
  for (const event of events) {
    if (event.payload.erased === true) continue;
    if (isMembershipEvent(event)) {
      const namesUser = typeof event.payload.userName === 'string';
      if (namesUser && (memberId === undefined || event.payload.memberId === memberId)) result.push({ seq: event.seq, payload: erasedMembership(event.payload) });
    } else if (memberId === undefined && event.resourceType === 'User') {
      result.push({ seq: event.seq, payload: erasedPayload(event.payload) });
    }
  }
  return result;
}

/** What identifies a user in a request that did not write it: a filter, a refused POST's body. */
function identifiers(user: UserRecord): string[] {
  const emails = Array.isArray(user.data.emails) ? user.data.emails : [];
  const values = [user.userName, user.externalId ?? '', ...emails.map((email) => (isObject(email) && typeof email.value === 'string' ? email.value : ''))];
  return [...new Set(values.map((value) => value.trim().toLowerCase()).filter((value) => value !== ''))];
}

/**
 * Erases a user removed for good from the outbox and the provisioning log. In the deleting
 * transaction (`tx`), bounded: its events (one resource's, found by index), the events
 * appended by the delete itself included, so that `user.deleted` carries the id alone, and
 * the log entries of the requests that wrote it. Recorded for the background, with the same
 * transaction: the log entries that name it without having written it (a read's filter, a
 * refused POST), found by a scan of the tenant's log, and its userName in the groups'
 * membership events, found by a scan of the tenant's events.
 */
export async function eraseUser(tx: StoreSession, user: UserRecord, at: string): Promise<void> {
  await tx.retention.replacePayloads(user.tenantId, replacements(await tx.retention.eventsOf(user.tenantId, user.id)));
  await tx.provisioningLog.eraseForResource(user.tenantId, user.id);
  // The erasure's id is the user's: the worker finds by it the membership events naming the
  // user, which belong to groups and have no index by member.
  await tx.retention.addErasure(user.tenantId, user.id, at, identifiers(user));
}

const ERASURE_BATCH = 500;

/**
 * Erasure left to the background because it is not bounded (deleting the SCIM setup erases
 * every user event of the tenant and its whole provisioning log). The work is recorded in the
 * deletion's transaction (`erasures`), done a batch per transaction with its progress saved,
 * and removed only once finished: a restart resumes it, nothing skips it.
 */
export class ErasureWorker {
  private task: PeriodicTask | undefined;

  private readonly batchSize: number;
  private readonly settleMs: number;

  constructor(
    private readonly store: Store,
    options: { readonly batchSize?: number; readonly settleMs?: number } = {},
  ) {
    this.batchSize = options.batchSize ?? ERASURE_BATCH;
    // Entries of reads reach the log up to 200 ms after their response (LogRecorder): an
    // erasure starts once those made before its deletion are in.
    this.settleMs = options.settleMs ?? 1000;
  }

  start(intervalMs: number, onError?: (error: unknown) => void): void {
    if (this.task !== undefined) return;
    this.task = runPeriodically(intervalMs, () => this.runNow(), onError);
  }

  /** Does every recorded erasure to the end; how many batches it took. */
  async runNow(): Promise<number> {
    let batches = 0;
    for (;;) {
      const more = await this.store.transaction(async (tx) => {
        const erasure = await tx.retention.nextErasure(new Date(Date.now() - this.settleMs).toISOString());
        if (erasure === undefined) return false;
        const events = await tx.retention.personalEventsAfter(erasure.tenantId, erasure.eventSeq, erasure.upToSeq, this.batchSize);
        if (events.length > 0) {
          await tx.retention.replacePayloads(erasure.tenantId, backgroundReplacements(events, erasure.terms === undefined ? undefined : erasure.id));
          await tx.retention.saveErasure({ ...erasure, eventSeq: events[events.length - 1]?.seq ?? erasure.eventSeq });
          return true;
        }
        const logAfter = await tx.provisioningLog.eraseAfter(erasure.tenantId, erasure.logAfter, erasure.createdAt, this.batchSize, erasure.terms);
        if (logAfter === undefined) await tx.retention.removeErasure(erasure.tenantId, erasure.id);
        else await tx.retention.saveErasure({ ...erasure, logAfter });
        return true;
      });
      if (!more) return batches;
      batches += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    await task?.stop();
  }
}
