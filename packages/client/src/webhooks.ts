// Verifying Roster's webhooks (Standard Webhooks). The logic is the server's own module, the
// one `roster-scim/webhooks` exports; this adds the event types of the OpenAPI document.
import { constructEvent as constructAnyEvent, type VerifyOptions, type WebhookHeaders } from '../../../src/service/webhooks/signature.js';
import type { components } from './api-types.js';

export { DEFAULT_TOLERANCE_SECONDS, sign, verify, webhookHeaders, WebhookVerificationError, type VerifyOptions, type WebhookHeaders } from '../../../src/service/webhooks/signature.js';

/**
 * Verifies a delivery (the raw body as received, the request's headers, the endpoint's
 * secret or secrets) and returns its event, typed: narrow it on `event.type`. Throws a
 * WebhookVerificationError saying why when it is not genuine and fresh.
 */
export function constructEvent(body: string | Uint8Array, headers: WebhookHeaders, secret: string | readonly string[], options?: VerifyOptions): components['schemas']['Event'] {
  return constructAnyEvent<components['schemas']['Event']>(body, headers, secret, options);
}
