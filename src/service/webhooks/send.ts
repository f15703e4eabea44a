import type { DeliveryTask } from '../../store/webhook-store.js';
import { eventEnvelope } from '../event-feed.js';
import { parseRetryAfter } from './retry-policy.js';
import { SIGNATURE_HEADER, signWebhook } from './signature.js';

/** What one HTTP attempt gave. */
export type SendResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status: number | null; readonly error: string; readonly retryAfterMs?: number };

/** The fetch Roster sends with (tests and hosts may supply their own). */
export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'manual' }) => Promise<{
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/**
 * POSTs one delivery: the event envelope as JSON, signed. Any 2xx is success; anything else,
 * a timeout or a network error is a failed try. Redirects are not followed (a receiver moved
 * to a new URL is reconfigured, not chased).
 */
export async function sendDelivery(task: DeliveryTask, fetcher: Fetch, timeoutMs: number): Promise<SendResult> {
  const body = JSON.stringify(eventEnvelope(task.event));
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Roster-Webhooks/1',
    [SIGNATURE_HEADER]: signWebhook(task.secret, body),
    'roster-event-id': task.event.id,
    'roster-event-type': task.event.type,
    'roster-delivery-id': task.delivery.id,
    'roster-delivery-attempt': String(task.delivery.attempts + 1),
  };
  try {
    const response = await fetcher(task.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    // Reading the body lets the connection be reused; its content is kept for the error only.
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return { ok: false, status: response.status, error: `HTTP ${response.status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause instanceof Error ? error.cause.message : undefined) ?? error.message) : String(error);
    return { ok: false, status: null, error: error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause };
  }
}
