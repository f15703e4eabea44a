import { Type } from 'typebox';

/** JSON Schemas of the webhook, event feed and provisioning log endpoints of the management API. */

const EventTypes = Type.Array(Type.String({ maxLength: 100 }), {
  maxItems: 100,
  description: 'Event types (user.created), families (user.*) or *; empty or absent: every type. See docs/events.md.',
});

export const Webhook = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.Union([Type.String(), Type.Null()], { description: 'The tenant whose events it receives; null for every tenant.' }),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Type.String(),
  enabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
}, { $id: 'Webhook' });

export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook) }, { $id: 'WebhookList' });

export const NewWebhook = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    tenantId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    eventTypes: Type.Optional(EventTypes),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { $id: 'NewWebhook', additionalProperties: false },
);

export const WebhookUpdate = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    eventTypes: Type.Optional(EventTypes),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { $id: 'WebhookUpdate', additionalProperties: false },
);

export const WebhookWithSecret = Type.Intersect([
  Webhook,
  Type.Object({ secret: Type.String({ description: 'The signing secret; shown in this response only.' }) }),
], { $id: 'WebhookWithSecret' });

export const WebhookSecret = Type.Object({ secret: Type.String({ description: 'The new signing secret; shown in this response only.' }) }, { $id: 'WebhookSecret' });

export const WebhookTestResult = Type.Object(
  {
    eventId: Type.String({ description: 'The webhook.test event\'s id, sent as its webhook-id header.' }),
    delivered: Type.Boolean({ description: 'The receiver answered 2xx.' }),
    status: Type.Union([Type.Integer(), Type.Null()], { description: 'The receiver\'s HTTP status; null without an answer (refused address, unreachable, timed out).' }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Why it failed, with a short printable excerpt of the answer; null when delivered.' }),
  },
  { $id: 'WebhookTestResult', description: 'How the receiver answered a webhook.test event.' },
);

export const WebhookParams = Type.Object({ webhookId: Type.String() });
export const DeliveryParams = Type.Object({ webhookId: Type.String(), deliveryId: Type.String() });
export const WebhookListQuery = Type.Object({ tenant: Type.Optional(Type.String()) }, { additionalProperties: false });

export const Delivery = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  eventSeq: Type.Integer(),
  eventType: Type.String(),
  state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'The last failed try: HTTP status and a short printable excerpt of the answer, or why there was none.' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
}, { $id: 'Delivery' });

export const DeliveryList = Type.Object({ deliveries: Type.Array(Delivery), nextCursor: Type.Optional(Type.String()) }, { $id: 'DeliveryList' });

export const DeliveryQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')], { description: 'dead: the dead-letter list' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const EventQuery = Type.Object(
  {
    tenant: Type.Optional(Type.String({ description: 'One tenant\'s events; absent for every tenant\'s (operator key only).' })),
    after: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'The nextCursor of the previous page, or a `position` (of an event, or of a list page of the read API); absent for the beginning. With `tenant`, a number is that tenant\'s `seq`.',
      }),
    ),
    type: Type.Optional(
      Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })], {
        description: 'Event types (user.created) or families (user.*), repeated or comma-separated; absent: every type.',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const EventPage = Type.Object(
  {
    // Any event object: an event type newer than the document still goes out. The document
    // shows `Event`, the union of every type (event-schemas.ts), under this name.
    events: Type.Array(Type.Record(Type.String(), Type.Unknown(), { $id: 'Event' }), { description: 'Oldest first; docs/events.md describes each type.' }),
    nextCursor: Type.String({ description: 'Pass as `after` to continue; the same cursor when nothing is new.' }),
    hasMore: Type.Boolean(),
  },
  { $id: 'EventPage' },
);

/** 410 from the feed: a SCIM-style error (RFC 7644 §3.12) that also carries the management API's code. */
export const FeedPositionExpiredBody = Type.Object(
  {
    schemas: Type.Array(Type.String(), { description: 'urn:ietf:params:scim:api:messages:2.0:Error' }),
    status: Type.String({ description: '"410"' }),
    detail: Type.String({ description: 'The position is older than the events Roster keeps; take a new snapshot and follow the feed from its position.' }),
    error: Type.Object({ code: Type.Literal('FEED_POSITION_EXPIRED'), message: Type.String() }),
  },
  { $id: 'FeedPositionExpiredError' },
);

export const LogQuery = Type.Object(
  {
    since: Type.Optional(Type.String({ description: 'ISO-8601; entries from this time on.' })),
    until: Type.Optional(Type.String({ description: 'ISO-8601; entries before this time.' })),
    status: Type.Optional(Type.String({ description: 'A status (404), a class (4xx) or "error" (400 and above).' })),
    resource: Type.Optional(Type.String({ description: 'A user or group id the request touched.' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the path, request body, error, user agent or token name (case-insensitive).' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const LogEntry = Type.Object({
  id: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Null: the write committed, its response was not recorded (the process stopped).' }),
  tokenId: Type.Union([Type.String(), Type.Null()]),
  tokenName: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  path: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Union([Type.Number(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  resources: Type.Array(Type.Object({ type: Type.String(), id: Type.String() })),
  events: Type.Integer({ description: 'Events the request wrote to the outbox.' }),
  scimType: Type.Union([Type.String(), Type.Null()]),
  errorDetail: Type.Union([Type.String(), Type.Null()]),
  requestBody: Type.Union([Type.String(), Type.Null()], { description: 'JSON text, secrets redacted, cut at 16 KiB.' }),
  undeclared: Type.Array(Type.String(), {
    description: 'Attributes the request\'s writes carried that the tenant\'s schemas do not declare, so they were ignored (paths as sent, such as nickName2 or urn:…:User:costCenter; names only, never values): declare the ones the product needs as custom attributes. At most 20; empty when none.',
    maxItems: 20,
  }),
}, { $id: 'LogEntry' });

export const LogPage = Type.Object({ entries: Type.Array(LogEntry), nextCursor: Type.Optional(Type.String()) }, { $id: 'LogPage' });
