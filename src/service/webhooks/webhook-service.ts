import { randomBytes } from 'node:crypto';
import { allowPrivateWebhookTargets } from '../../config-webhooks.js';
import { EVENT_SCHEMA_VERSION } from '../../store/event-envelope.js';
import type { DeliveryRecord, DeliveryState, WebhookEndpointRecord } from '../../store/webhook-store.js';
import type { Store } from '../../store/store.js';
import { newId, now } from '../clock.js';
import { NotFound } from '../errors.js';
import { checkEventTypes } from './event-types.js';
import { sendSigned } from './send.js';
import { checkWebhookUrl, type TargetPolicy } from './webhook-url.js';
import { systemResolve, WebhookTransport, type Resolve } from './webhook-transport.js';

/**
 * A signing secret as Standard Webhooks serializes it: `whsec_` and the base64 of 32 random
 * bytes (the spec asks for 24 to 64); the HMAC is keyed with those bytes.
 */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface WebhookServiceOptions {
  /** Whether URLs on non-public addresses are allowed; default ROSTER_WEBHOOK_ALLOW_PRIVATE. */
  readonly allowPrivateTargets?: boolean;
  /** How host names are resolved (the system's DNS by default). */
  readonly resolve?: Resolve;
  /** Test sends: how long the receiver may take; default 10,000 ms. */
  readonly timeoutMs?: number;
}

/** What a test send gave (POST /webhooks/{id}/test). */
export interface TestDelivery {
  /** The `webhook.test` event's id (its webhook-id header). */
  readonly eventId: string;
  readonly delivered: boolean;
  /** The receiver's HTTP status; null when there was no answer (refused, unreachable, timed out). */
  readonly status: number | null;
  /** Why it failed, with a short excerpt of the answer; null when delivered. */
  readonly error: string | null;
}

export interface NewEndpoint {
  readonly url: string;
  /** Null or absent: a global endpoint, for every tenant. */
  readonly tenantId?: string | null;
  readonly eventTypes?: readonly string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

export interface EndpointChanges {
  readonly url?: string;
  readonly eventTypes?: readonly string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

/** A new endpoint with its signing secret, which is shown this once. */
export interface CreatedEndpoint {
  readonly endpoint: WebhookEndpointRecord;
  readonly secret: string;
}

/** Webhook endpoints (per tenant or global), their deliveries, the dead-letter list and test sends. */
export class WebhookService {
  private readonly policy: TargetPolicy;
  private readonly transport: WebhookTransport;

  constructor(
    private readonly store: Store,
    options: WebhookServiceOptions = {},
  ) {
    const allowPrivateTargets = options.allowPrivateTargets ?? allowPrivateWebhookTargets();
    const resolve = options.resolve ?? systemResolve;
    this.policy = { allowPrivateTargets, resolve };
    this.transport = new WebhookTransport({ allowPrivateTargets, resolve, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  }

  async create(input: NewEndpoint): Promise<CreatedEndpoint> {
    const tenantId = input.tenantId ?? null;
    if (tenantId !== null && (await this.store.read.tenants.get(tenantId)) === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    const at = now();
    const endpoint: WebhookEndpointRecord = {
      id: newId(),
      tenantId,
      url: await checkWebhookUrl(input.url, this.policy),
      eventTypes: checkEventTypes(input.eventTypes ?? []),
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      createdAt: at,
      updatedAt: at,
    };
    const secret = newSigningSecret();
    // The cursors start at the end of the outbox in the same transaction: the endpoint gets
    // every event committed after it, and none before.
    await this.store.transaction(async (tx) => {
      await tx.webhooks.insertEndpoint(endpoint, secret);
      await tx.webhooks.startCursors(endpoint.id, tenantId);
    });
    return { endpoint, secret };
  }

  /** Every endpoint; with a tenant, its own and the global ones. */
  async list(tenantId?: string): Promise<readonly WebhookEndpointRecord[]> {
    return this.store.read.webhooks.listEndpoints(tenantId);
  }

  async get(id: string): Promise<WebhookEndpointRecord> {
    const endpoint = await this.store.read.webhooks.getEndpoint(id);
    if (endpoint === undefined) throw new NotFound(`Webhook ${id} does not exist.`);
    return endpoint;
  }

  /** Disabling pauses an endpoint: it keeps its place, and enabling it again delivers what happened meanwhile. */
  async update(id: string, changes: EndpointChanges): Promise<WebhookEndpointRecord> {
    const current = await this.get(id);
    const next: WebhookEndpointRecord = {
      ...current,
      url: changes.url === undefined ? current.url : await checkWebhookUrl(changes.url, this.policy),
      eventTypes: changes.eventTypes === undefined ? current.eventTypes : checkEventTypes(changes.eventTypes),
      description: changes.description ?? current.description,
      enabled: changes.enabled ?? current.enabled,
      updatedAt: now(),
    };
    await this.store.read.webhooks.updateEndpoint(next);
    return next;
  }

  /** A new signing secret; the old one stops signing at once (receivers may accept both meanwhile). */
  async rotateSecret(id: string): Promise<string> {
    await this.get(id);
    const secret = newSigningSecret();
    await this.store.read.webhooks.setSecret(id, secret, now());
    return secret;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.store.read.webhooks.deleteEndpoint(id))) throw new NotFound(`Webhook ${id} does not exist.`);
  }

  /** An endpoint's deliveries, most recently changed first; `state: 'dead'` is the dead-letter list. */
  async deliveries(id: string, state: DeliveryState | undefined, limit: number, after?: { updatedAt: string; id: string }): Promise<readonly DeliveryRecord[]> {
    await this.get(id);
    return this.store.read.webhooks.listDeliveries(id, { limit: Math.min(Math.max(limit, 1), 500), ...(state === undefined ? {} : { state }), ...(after === undefined ? {} : { after }) });
  }

  /** Sends a delivery again (a dead one, typically): pending, due now, its tries counted afresh. */
  async redeliver(id: string, deliveryId: string): Promise<void> {
    await this.get(id);
    if (!(await this.store.read.webhooks.redeliver(id, deliveryId, now()))) throw new NotFound(`Webhook ${id} has no delivery ${deliveryId}.`);
  }

  /**
   * Sends a `webhook.test` event to the endpoint now, signed like every delivery and through
   * the same address checks, and says how the receiver answered. It is sent whatever the
   * endpoint's event types and also while it is paused; it is in no feed and no delivery list.
   */
  async sendTest(id: string): Promise<TestDelivery> {
    const endpoint = await this.get(id);
    const secret = await this.store.read.webhooks.getSecret(id);
    if (secret === undefined) throw new NotFound(`Webhook ${id} does not exist.`);
    const envelope = {
      schemaVersion: EVENT_SCHEMA_VERSION,
      id: newId(),
      seq: 0,
      type: 'webhook.test',
      tenantId: endpoint.tenantId,
      occurredAt: now(),
      resource: { type: 'Webhook', id: endpoint.id },
      data: { webhook: { id: endpoint.id, url: endpoint.url } },
    };
    const result = await sendSigned({ url: endpoint.url, secret, envelope }, this.transport);
    return { eventId: envelope.id, delivered: result.ok, status: result.status, error: result.ok ? null : result.error };
  }

  /** Deliveries waiting to be sent, over every endpoint (a metric). */
  queueDepth(): Promise<number> {
    return this.store.read.webhooks.countPending();
  }
}
