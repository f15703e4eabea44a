import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggedResource, ProvisioningLogEntry } from '../../store/log-store.js';
import type { NewEvent } from '../../store/records.js';
import { newId } from '../clock.js';
import { MAX_PER_WRITE } from '../undeclared-attributes.js';

/** What the HTTP layer knows of a SCIM request when its handler starts. */
export interface RequestFacts {
  readonly startedAt: string;
  readonly method: string;
  readonly path: string;
  readonly userAgent: string | null;
  readonly tenantId: string;
  readonly tokenId: string | null;
  readonly tokenName: string | null;
  /** The request body, redacted (see redact.ts). */
  readonly requestBody: string | null;
  /** The resource the path names (`/Users/{id}`), if any. */
  readonly pathResource?: LoggedResource;
}

/** Adds `paths` to `into`, compared case-insensitively (the first spelling stays), up to MAX_PER_WRITE. */
function addPaths(into: Map<string, string>, paths: Iterable<string>): void {
  for (const path of paths) {
    if (into.size >= MAX_PER_WRITE) return;
    const key = path.toLowerCase();
    if (!into.has(key)) into.set(key, path);
  }
}

/** The resources, events and undeclared attributes of one transaction, kept apart until it commits. */
export class TransactionTrace {
  readonly resources = new Map<string, LoggedResource>();
  events = 0;
  /** Undeclared attribute paths the transaction's writes recorded, by folded path. */
  readonly undeclared = new Map<string, string>();

  /** Counts a transaction of a group (Store.transactionGroup) that was not undone. */
  add(other: TransactionTrace): void {
    this.events += other.events;
    for (const [id, resource] of other.resources) if (this.resources.size < MAX_RESOURCES) this.resources.set(id, resource);
    addPaths(this.undeclared, other.undeclared.values());
  }

  /** Notes the undeclared attribute paths a write recorded. */
  recordUndeclared(paths: readonly string[]): void {
    addPaths(this.undeclared, paths);
  }

  record(events: readonly NewEvent[]): void {
    this.events += events.length;
    for (const event of events) {
      // Resources are what the request touched: Users and Groups (tokens and tenants are not SCIM resources).
      if (this.resources.size < MAX_RESOURCES) this.resources.set(event.resourceId, { type: event.resourceType, id: event.resourceId });
    }
  }
}

/** A /Bulk request may touch thousands of resources; the log keeps the first ones. */
const MAX_RESOURCES = 1000;

/**
 * One SCIM request's provisioning-log entry while the request runs. Transactions opened in
 * the request (through the logged store) write the entry before they commit; what they did
 * counts once they have committed.
 */
export class RequestLogScope {
  readonly id = newId();
  private readonly resources = new Map<string, LoggedResource>();
  /** Resources whose search rows committed transactions have written. */
  private readonly indexed = new Set<string>();
  private eventCount = 0;
  private readonly undeclared = new Map<string, string>();
  /** Whether a transaction has committed this entry (the response then completes it). */
  written = false;

  constructor(readonly facts: RequestFacts) {
    if (facts.pathResource !== undefined) this.resources.set(facts.pathResource.id, facts.pathResource);
  }

  /** The entry as a transaction writes it: its own trace counted, the response not yet known. */
  entry(trace?: TransactionTrace): ProvisioningLogEntry {
    const resources = new Map(this.resources);
    for (const [id, resource] of trace?.resources ?? []) if (resources.size < MAX_RESOURCES) resources.set(id, resource);
    const undeclared = new Map(this.undeclared);
    addPaths(undeclared, trace?.undeclared.values() ?? []);
    const { facts } = this;
    return {
      tenantId: facts.tenantId,
      id: this.id,
      startedAt: facts.startedAt,
      finishedAt: null,
      tokenId: facts.tokenId,
      tokenName: facts.tokenName,
      method: facts.method,
      path: facts.path,
      status: null,
      durationMs: null,
      userAgent: facts.userAgent,
      resources: [...resources.values()],
      events: this.eventCount + (trace?.events ?? 0),
      scimType: null,
      errorDetail: null,
      requestBody: facts.requestBody,
      undeclared: [...undeclared.values()],
    };
  }

  /**
   * The resources of `entry` that no committed transaction of this request has written search
   * rows for: each /Bulk operation adds its own, so the request costs in proportion to its
   * operations, not their square.
   */
  unindexed(entry: ProvisioningLogEntry): LoggedResource[] {
    return entry.resources.filter((resource) => !this.indexed.has(resource.id));
  }

  /** A transaction that wrote this entry has committed. */
  committed(trace: TransactionTrace): void {
    for (const [id, resource] of trace.resources) if (this.resources.size < MAX_RESOURCES) this.resources.set(id, resource);
    for (const id of this.resources.keys()) this.indexed.add(id);
    this.eventCount += trace.events;
    addPaths(this.undeclared, trace.undeclared.values());
    this.written = true;
  }
}

/**
 * The SCIM request whose handler is running, if any. The HTTP layer runs each SCIM handler
 * inside it; the logged store reads it to put the entry into the request's transactions.
 */
export const requestScope = new AsyncLocalStorage<RequestLogScope>();
