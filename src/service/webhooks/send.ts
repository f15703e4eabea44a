import type { JsonObject } from '../../scim/json.js';
import type { DeliveryTask } from '../../store/webhook-store.js';
import { eventEnvelope } from '../event-feed.js';
import { webhookHeaders } from './signature.js';
import type { SendResult, WebhookTransport } from './webhook-transport.js';

/** One message to one endpoint: the envelope, signed with the endpoint's secret. */
export interface SignedMessage {
  readonly url: string;
  readonly secret: string;
  readonly envelope: JsonObject & { readonly id: string; readonly type: string };
  /** Extra headers (the delivery id and attempt). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * POSTs a message as JSON with the Standard Webhooks headers: `webhook-id` is the event id
 * (the same on every retry, so receivers de-duplicate on it), `webhook-timestamp` the time of
 * this try, `webhook-signature` signs both with the body.
 */
export function sendSigned(message: SignedMessage, transport: WebhookTransport): Promise<SendResult> {
  const body = JSON.stringify(message.envelope);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Roster-Webhooks/1',
    ...webhookHeaders(message.secret, message.envelope.id, body),
    'roster-event-type': message.envelope.type,
    ...message.headers,
  };
  return transport.post(message.url, headers, body);
}

/** Sends one delivery of the outbox. */
export function sendDelivery(task: DeliveryTask, transport: WebhookTransport): Promise<SendResult> {
  const envelope = { ...eventEnvelope(task.event), id: task.event.id, type: task.event.type };
  const headers = { 'roster-delivery-id': task.delivery.id, 'roster-delivery-attempt': String(task.delivery.attempts + 1) };
  return sendSigned({ url: task.url, secret: task.secret, envelope, headers }, transport);
}
