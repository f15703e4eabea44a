// Types of `roster-scim/webhooks` (src/service/webhooks/signature.ts, compiled to dist/), for
// receivers of Roster's webhooks, which are signed per Standard Webhooks
// (https://www.standardwebhooks.com). test/webhooks/package-export.test.ts keeps them in step.

/** How far a delivery's timestamp may be from now before it is refused, by default (5 minutes). */
export declare const DEFAULT_TOLERANCE_SECONDS = 300;

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
export declare class WebhookVerificationError extends Error {
  readonly name: 'WebhookVerificationError';
}

/**
 * The `webhook-signature` value (`v1,<base64>`): HMAC-SHA256 keyed with the bytes of the
 * `whsec_<base64>` secret over `<id>.<timestamp>.<body>`. For receivers' own tests.
 */
export declare function sign(secret: string, id: string, timestampSeconds: number, body: string | Uint8Array): string;

/** The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of a message, signed now (or at `timestampSeconds`). */
export declare function webhookHeaders(secret: string, id: string, body: string | Uint8Array, timestampSeconds?: number): Record<string, string>;

/**
 * Whether a delivery is genuine and fresh: the raw body exactly as received, the request's
 * headers, and the endpoint's secret (or several while rotating). Constant-time comparison;
 * throws (TypeError) only for a malformed secret.
 */
export declare function verify(body: string | Uint8Array, headers: WebhookHeaders, secret: string | readonly string[], options?: VerifyOptions): boolean;

/**
 * Verifies a delivery as `verify` does and returns its event, parsed; throws a
 * WebhookVerificationError saying why when it is not genuine and fresh, or not an event.
 */
export declare function constructEvent<Event extends WebhookEvent<string, object> = WebhookEvent>(
  body: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options?: VerifyOptions,
): Event;
