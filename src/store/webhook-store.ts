import type { EventRecord } from './records.js';

/** Where and what a webhook endpoint receives. Its secret (`whsec_…`, kept apart) signs deliveries. */
export interface WebhookEndpointRecord {
  readonly id: string;
  /** The tenant whose events it receives; null for a global endpoint (every tenant). */
  readonly tenantId: string | null;
  readonly url: string;
  /** Event types (`user.created`) or prefixes (`user.*`); empty means every type. */
  readonly eventTypes: readonly string[];
  readonly description: string;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `pending` until delivered; `dead` after the last failed try (the dead-letter list). */
export type DeliveryState = 'pending' | 'delivered' | 'dead';

/** One event for one endpoint. */
export interface DeliveryRecord {
  readonly tenantId: string;
  readonly id: string;
  readonly endpointId: string;
  readonly eventSeq: number;
  readonly eventType: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A new delivery, made by the fan-out from an event. */
export interface NewDelivery {
  readonly tenantId: string;
  readonly id: string;
  readonly endpointId: string;
  readonly eventSeq: number;
  readonly eventType: string;
  /** `resourceType:resourceId`: deliveries of one key go out in event order. */
  readonly resourceKey: string;
}

/** A claimed delivery with what sending it needs. */
export interface DeliveryTask {
  readonly delivery: DeliveryRecord;
  readonly url: string;
  readonly secret: string;
  readonly event: EventRecord;
}

/** An endpoint and tenant whose outbox has events past the endpoint's cursor. */
export interface FanOutWork {
  readonly endpointId: string;
  readonly tenantId: string;
  readonly eventTypes: readonly string[];
}

/** What a delivery attempt ended with. */
export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly status: number | null; readonly error: string; readonly nextAttemptAt: string }
  | { readonly kind: 'dead'; readonly status: number | null; readonly error: string };

export interface DeliveryListQuery {
  readonly state?: DeliveryState;
  readonly limit: number;
  /** Continue after this delivery (the previous page's last `updatedAt` and id). */
  readonly after?: { readonly updatedAt: string; readonly id: string };
}

/**
 * Webhook endpoints and deliveries. Claiming uses leases: a claimed delivery belongs to one
 * process until its lease ends, and on PostgreSQL rows another process is claiming are
 * skipped (`FOR UPDATE SKIP LOCKED`), so processes share the work without sending twice.
 */
export interface WebhookStore {
  insertEndpoint(endpoint: WebhookEndpointRecord, secret: string): Promise<void>;
  getEndpoint(id: string): Promise<WebhookEndpointRecord | undefined>;
  /** Every endpoint; with `tenantId`, that tenant's endpoints and the global ones. */
  listEndpoints(tenantId?: string): Promise<readonly WebhookEndpointRecord[]>;
  updateEndpoint(endpoint: WebhookEndpointRecord): Promise<void>;
  /** The endpoint's signing secret; undefined when there is no such endpoint. */
  getSecret(id: string): Promise<string | undefined>;
  setSecret(id: string, secret: string, at: string): Promise<void>;
  /** Removes the endpoint with its cursors and deliveries; false when there is none. */
  deleteEndpoint(id: string): Promise<boolean>;
  /**
   * Starts the endpoint's cursors at the current end of the outbox of its tenant (or of every
   * tenant, for a global endpoint): a new endpoint receives the events that follow, not the past.
   */
  startCursors(endpointId: string, tenantId: string | null): Promise<void>;

  /** Enabled endpoints and tenants with events past the cursor (tenants new to a global endpoint start at 0). */
  fanOutWork(limit: number): Promise<readonly FanOutWork[]>;
  /**
   * Inside a transaction: the cursor, locked until commit; undefined when another process
   * holds it (it is doing this fan-out now).
   */
  lockCursor(endpointId: string, tenantId: string): Promise<number | undefined>;
  advanceCursor(endpointId: string, tenantId: string, lastSeq: number): Promise<void>;
  /** Inserts deliveries; one that exists already (same endpoint and event) is left as it is. */
  insertDeliveries(deliveries: readonly NewDelivery[], at: string): Promise<void>;

  /**
   * Inside a transaction: leases up to `limit` due pending deliveries to `owner` until
   * `leaseUntil`, each the oldest pending one of its endpoint and resource (in-order delivery).
   */
  claim(owner: string, now: string, leaseUntil: string, limit: number): Promise<readonly DeliveryTask[]>;
  /** Records an attempt, if `owner` still holds the lease; false when it does not. */
  finishAttempt(tenantId: string, id: string, owner: string, outcome: AttemptOutcome, at: string): Promise<boolean>;
  /** Gives up `owner`'s leases (a graceful stop), so that another process may take them at once. */
  releaseLeases(owner: string): Promise<void>;
  listDeliveries(endpointId: string, query: DeliveryListQuery): Promise<readonly DeliveryRecord[]>;
  /** Makes a dead (or delivered) delivery pending again, due now, with its tries reset; false when unknown. */
  redeliver(endpointId: string, deliveryId: string, at: string): Promise<boolean>;
  /** Pending deliveries (the queue depth). */
  countPending(): Promise<number>;
  /** Removes a tenant's delivered deliveries older than `before`; how many. */
  pruneDelivered(tenantId: string, before: string, limit: number): Promise<number>;
}
