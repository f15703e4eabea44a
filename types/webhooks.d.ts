// Types of `roster-scim/webhooks` (src/service/webhooks/signature.ts, compiled to dist/), for
// receivers of Roster's webhooks. test/webhooks/package-export.test.ts keeps them in step.

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export declare const SIGNATURE_HEADER = 'roster-signature';

/** How old a delivery's timestamp may be before it is refused, by default (5 minutes). */
export declare const DEFAULT_TOLERANCE_SECONDS = 300;

/** The signature header for `body`: HMAC-SHA256 with `secret` over `<timestamp>.<body>`. */
export declare function signWebhook(secret: string, body: string | Buffer, timestampSeconds?: number): string;

export interface VerifyOptions {
  /** Largest accepted difference between the signed timestamp and now, in seconds; default 300. */
  readonly toleranceSeconds?: number;
  /** The current time in milliseconds (tests). */
  readonly now?: number;
}

/**
 * Whether a delivery is genuine and fresh: the raw body as received, the `Roster-Signature`
 * header, and the endpoint's secret (or several while rotating). Constant-time comparison.
 */
export declare function verifyWebhookSignature(
  secret: string | readonly string[],
  body: string | Buffer,
  header: string | null | undefined,
  options?: VerifyOptions,
): boolean;
