// Signing and verifying Roster's webhook deliveries per the Standard Webhooks specification
// (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
// `webhook-signature: v1,<base64 HMAC-SHA256>` over `<id>.<timestamp>.<body>`, keyed with the
// bytes of a `whsec_<base64>` secret. This module is also Roster's public package export
// `roster-scim/webhooks` for receivers (types in types/webhooks.d.ts), so it depends on
// node:crypto alone.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a delivery's timestamp may be from now before it is refused, by default (5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET = /^whsec_((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;
// Ids and timestamps never hold a `.`: the signed content `<id>.<timestamp>.<body>` stays unambiguous.
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,200}$/;

/** A delivery's envelope (docs/events.md); `Data` and `Type` narrow it to one event type. */
export interface WebhookEvent<Type extends string = string, Data extends object = Record<string, unknown>> {
  readonly schemaVersion: number;
  readonly id: string;
  /** The tenant's event position (0 for a `webhook.test` delivery, which is in no feed). */
  readonly seq: number;
  readonly type: Type;
  /** Null only for a global endpoint's `webhook.test` delivery. */
  readonly tenantId: string | null;
  readonly occurredAt: string;
  readonly resource: { readonly type: string; readonly id: string };
  readonly data: Data;
}

/** Request headers as Node's `request.headers`, a fetch `Headers`, or any plain record. */
export type WebhookHeaders = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyOptions {
  /** Largest accepted difference between the signed timestamp and now, in seconds; default 300. */
  readonly toleranceSeconds?: number;
  /** The current time in milliseconds (tests). */
  readonly now?: number;
}

/** Why a delivery was refused; `message` says which check failed. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

function keyOf(secret: string): Buffer {
  const base64 = SECRET.exec(secret)?.[1];
  if (base64 === undefined || base64 === '') {
    throw new TypeError('A webhook secret is "whsec_" followed by standard base64 (A-Z, a-z, 0-9, +, /, = padding), as Roster returned it.');
  }
  return Buffer.from(base64, 'base64');
}

function bytesOf(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/**
 * The `webhook-signature` value (`v1,<base64>`) of a message: HMAC-SHA256 keyed with the
 * secret's bytes over `<id>.<timestamp>.<body>`. For receivers' own tests; deliveries carry it.
 */
export function sign(secret: string, id: string, timestampSeconds: number, body: string | Uint8Array): string {
  if (!MESSAGE_ID.test(id)) throw new TypeError('A webhook id is 1 to 200 letters, digits, "-" or "_".');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new TypeError('A webhook timestamp is whole seconds since 1970.');
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.`, 'utf8').update(bytesOf(body));
  return `v1,${mac.digest('base64')}`;
}

/** The three Standard Webhooks headers of a message, signed now (or at `timestampSeconds`). */
export function webhookHeaders(secret: string, id: string, body: string | Uint8Array, timestampSeconds: number = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': sign(secret, id, timestampSeconds, body) };
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : value?.[0];
}

/** Undefined when the delivery is genuine and fresh; else why not. */
function refusal(body: string | Uint8Array, headers: WebhookHeaders, secret: string | readonly string[], options: VerifyOptions): string | undefined {
  // Secrets are checked first: a misconfigured receiver throws on every request, not only on forged ones.
  const keys = typeof secret === 'string' ? [secret] : secret;
  if (keys.length === 0) throw new TypeError('No webhook secret to verify with.');
  for (const key of keys) keyOf(key);
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (id === undefined || timestamp === undefined || signatures === undefined) return 'The webhook-id, webhook-timestamp or webhook-signature header is missing.';
  if (!MESSAGE_ID.test(id) || !/^\d{1,15}$/.test(timestamp)) return 'The webhook-id or webhook-timestamp header is malformed.';
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return `The webhook-timestamp is more than ${tolerance} s from now (a replay, or a clock off).`;
  const given = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'utf8'));
  const matches = keys.some((key) => {
    const expected = Buffer.from(sign(key, id, Number(timestamp), body).slice(3), 'utf8');
    return given.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  });
  return matches ? undefined : 'No webhook-signature matches the body with this secret.';
}

/**
 * Whether a delivery is genuine and fresh: `body` is the raw request body exactly as received
 * (parse it only after this check), `headers` the request's headers, `secret` the endpoint's
 * secret, or several (old and new) while rotating. Constant-time comparison; a timestamp
 * further than the tolerance from now fails, which is how a receiver refuses replays. Throws
 * (TypeError) only for a malformed secret, a configuration error.
 */
export function verify(body: string | Uint8Array, headers: WebhookHeaders, secret: string | readonly string[], options: VerifyOptions = {}): boolean {
  return refusal(body, headers, secret, options) === undefined;
}

/**
 * Verifies a delivery as `verify` does and returns its event, parsed; throws a
 * WebhookVerificationError saying why when it is not genuine and fresh, or not an event.
 * `Event` narrows the result (a typed client passes its union of event types).
 */
export function constructEvent<Event extends WebhookEvent<string, object> = WebhookEvent>(
  body: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): Event {
  const reason = refusal(body, headers, secret, options);
  if (reason !== undefined) throw new WebhookVerificationError(reason);
  let event: unknown;
  try {
    event = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
  } catch {
    throw new WebhookVerificationError('The body is not JSON.');
  }
  const candidate = event as Partial<Record<keyof WebhookEvent, unknown>> | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.type !== 'string' || typeof candidate.id !== 'string') {
    throw new WebhookVerificationError('The body is not a Roster event (no id or type).');
  }
  return event as Event;
}
