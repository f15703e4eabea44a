// Signing and verifying Roster's webhook deliveries. This module is part of Roster's public
// package (`import { verifyWebhookSignature } from 'roster-scim/webhooks'`) for receivers, so it
// depends on node:crypto alone.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'roster-signature';

/** How old a delivery's timestamp may be before a receiver refuses it, by default (5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmac(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest('hex');
}

/**
 * The signature header of a delivery: HMAC-SHA256 with the endpoint's secret over
 * `<timestamp>.<body>`, the timestamp in Unix seconds. Signing the timestamp lets a receiver
 * refuse an old delivery replayed by someone who captured it.
 */
export function signWebhook(secret: string, body: string | Buffer, timestampSeconds: number = Math.floor(Date.now() / 1000)): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, body)}`;
}

export interface VerifyOptions {
  /** Largest accepted difference between the signed timestamp and now, in seconds; default 300. */
  readonly toleranceSeconds?: number;
  /** The current time in milliseconds (tests). */
  readonly now?: number;
}

/**
 * Whether a delivery is genuine and fresh: `header` is the `Roster-Signature` header,
 * `body` the raw request body exactly as received (parse it only after this check), and
 * `secret` the endpoint's secret, or several (old and new) while rotating it. Comparison is
 * in constant time; a timestamp further than the tolerance from now fails, which is how a
 * receiver rejects replays.
 */
export function verifyWebhookSignature(
  secret: string | readonly string[],
  body: string | Buffer,
  header: string | null | undefined,
  options: VerifyOptions = {},
): boolean {
  if (typeof header !== 'string') return false;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return false;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  return secrets.some((candidate) => {
    const expected = Buffer.from(hmac(candidate, timestamp, body), 'hex');
    return signatures.some((signature) => timingSafeEqual(signature, expected));
  });
}
