import { Type } from 'typebox';
import { Invalid } from '../../service/errors.js';
import type { Services } from '../../service/services.js';
import type { DeliveryRecord, WebhookEndpointRecord } from '../../store/webhook-store.js';
import type { ApiInstance } from './api-instance.js';
import { ErrorBody } from './schemas.js';
import { DeliveryList, DeliveryParams, DeliveryQuery, NewWebhook, Webhook, WebhookList, WebhookListQuery, WebhookParams, WebhookSecret, WebhookTestResult, WebhookUpdate, WebhookWithSecret } from './webhook-schemas.js';

const security = [{ operatorKey: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };
const tags = ['webhooks'];

function webhookJson(endpoint: WebhookEndpointRecord) {
  return { ...endpoint, eventTypes: [...endpoint.eventTypes] };
}

function deliveryJson(delivery: DeliveryRecord) {
  const { endpointId: _endpoint, ...rest } = delivery;
  return rest;
}

function encodeDeliveryCursor(delivery: DeliveryRecord): string {
  return Buffer.from(`${delivery.updatedAt}|${delivery.id}`, 'utf8').toString('base64url');
}

function decodeDeliveryCursor(cursor: string): { updatedAt: string; id: string } {
  const [updatedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (updatedAt === undefined || id === undefined) throw new Invalid('The cursor is not one this API issued.');
  return { updatedAt, id };
}

/** Webhook endpoints (per tenant or global), their deliveries, the dead-letter list and redelivery. */
export function registerWebhookRoutes(api: ApiInstance, services: Services): void {
  const { webhooks } = services;

  api.get('/webhooks', { schema: { tags, operationId: 'listWebhooks', summary: 'List webhook endpoints (with ?tenant=, that tenant\'s and the global ones)', security, querystring: WebhookListQuery, response: { 200: WebhookList, ...errors } } }, async (request) => ({
    webhooks: (await webhooks.list(request.query.tenant)).map(webhookJson),
  }));

  api.post(
    '/webhooks',
    { schema: { tags, operationId: 'createWebhook', summary: 'Create a webhook endpoint (the signing secret is in this response only; the URL must be public unless ROSTER_WEBHOOK_ALLOW_PRIVATE=true)', security, body: NewWebhook, response: { 201: WebhookWithSecret, ...errors } } },
    async (request, reply) => {
      const { endpoint, secret } = await webhooks.create(request.body);
      return reply.code(201).send({ ...webhookJson(endpoint), secret });
    },
  );

  api.get('/webhooks/:webhookId', { schema: { tags, operationId: 'getWebhook', summary: 'Read a webhook endpoint', security, params: WebhookParams, response: { 200: Webhook, ...errors } } }, async (request) =>
    webhookJson(await webhooks.get(request.params.webhookId)),
  );

  api.patch(
    '/webhooks/:webhookId',
    { schema: { tags, operationId: 'updateWebhook', summary: 'Change a webhook endpoint (enabled: false pauses it without losing events)', security, params: WebhookParams, body: WebhookUpdate, response: { 200: Webhook, ...errors } } },
    async (request) => webhookJson(await webhooks.update(request.params.webhookId, request.body)),
  );

  api.delete(
    '/webhooks/:webhookId',
    { schema: { tags, operationId: 'deleteWebhook', summary: 'Delete a webhook endpoint and its deliveries', security, params: WebhookParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await webhooks.remove(request.params.webhookId);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/webhooks/:webhookId/secret',
    { schema: { tags, operationId: 'rotateWebhookSecret', summary: 'Rotate the signing secret (the new one is in this response only)', security, params: WebhookParams, response: { 200: WebhookSecret, ...errors } } },
    async (request) => ({ secret: await webhooks.rotateSecret(request.params.webhookId) }),
  );

  api.get(
    '/webhooks/:webhookId/deliveries',
    {
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: 'List deliveries, most recently changed first (state=dead: the dead-letter list)',
        security,
        params: WebhookParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryList, ...errors },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = request.query.cursor === undefined ? undefined : decodeDeliveryCursor(request.query.cursor);
      const rows = await webhooks.deliveries(request.params.webhookId, request.query.state, limit + 1, after);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { deliveries: page.map(deliveryJson), ...(rows.length > limit && last !== undefined ? { nextCursor: encodeDeliveryCursor(last) } : {}) };
    },
  );

  api.post(
    '/webhooks/:webhookId/deliveries/:deliveryId/redeliver',
    { schema: { tags, operationId: 'redeliverWebhookDelivery', summary: 'Send a delivery again (a dead one: back in the queue, tries counted afresh)', security, params: DeliveryParams, response: { 202: Type.Null(), ...errors } } },
    async (request, reply) => {
      await webhooks.redeliver(request.params.webhookId, request.params.deliveryId);
      return reply.code(202).send(null);
    },
  );

  api.post(
    '/webhooks/:webhookId/test',
    {
      schema: {
        tags,
        operationId: 'testWebhook',
        summary: 'Send a webhook.test event to the endpoint now (also when paused) and say how the receiver answered',
        security,
        params: WebhookParams,
        response: { 200: WebhookTestResult, ...errors },
      },
    },
    async (request) => webhooks.sendTest(request.params.webhookId),
  );
}
