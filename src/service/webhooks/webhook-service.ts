import type { DeliveryRecord, DeliveryState, WebhookEndpointRecord } from '../../store/webhook-store.js';
import type { Store } from '../../store/store.js';
import { newId, now } from '../clock.js';
import { Invalid, NotFound } from '../errors.js';
import { newSecret } from '../secrets.js';
import { checkEventTypes } from './event-types.js';

const SECRET_PREFIX = 'whsec_';

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

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Invalid(`"${url}" is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Invalid('A webhook URL must be http:// or https://.');
  if (parsed.username !== '' || parsed.password !== '') throw new Invalid('A webhook URL must not carry credentials; deliveries are signed instead.');
  return parsed.toString();
}

/** Webhook endpoints (per tenant or global), their deliveries and the dead-letter list. */
export class WebhookService {
  constructor(private readonly store: Store) {}

  async create(input: NewEndpoint): Promise<CreatedEndpoint> {
    const tenantId = input.tenantId ?? null;
    if (tenantId !== null && (await this.store.read.tenants.get(tenantId)) === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    const at = now();
    const endpoint: WebhookEndpointRecord = {
      id: newId(),
      tenantId,
      url: checkUrl(input.url),
      eventTypes: checkEventTypes(input.eventTypes ?? []),
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      createdAt: at,
      updatedAt: at,
    };
    const secret = newSecret(SECRET_PREFIX);
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
      url: changes.url === undefined ? current.url : checkUrl(changes.url),
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
    const secret = newSecret(SECRET_PREFIX);
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

  /** Deliveries waiting to be sent, over every endpoint (a metric). */
  queueDepth(): Promise<number> {
    return this.store.read.webhooks.countPending();
  }
}
