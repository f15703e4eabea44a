import type { FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../../scim/errors.js';
import type { RateLimiter } from '../../service/rate-limiter.js';
import type { ScimRequestState } from './auth.js';

/**
 * Counts an authenticated SCIM request against its token's and tenant's limits and refuses
 * it with 429, Retry-After and a SCIM error body when either is spent. When the counters
 * cannot be reached (a database hiccup) the request goes through: the limit protects the
 * service, and refusing every request because of it would be the outage it guards against.
 */
export async function enforceRateLimit(limiter: RateLimiter, state: ScimRequestState, request: FastifyRequest): Promise<void> {
  let decision;
  try {
    decision = await limiter.hit(state.context.tenant.id, state.token.id);
  } catch (error) {
    request.log.warn({ err: error }, 'rate limit counters unavailable; request allowed');
    return;
  }
  if (decision.allowed) return;
  const whose = decision.scope === 'token' ? 'this token' : "this tenant's tokens together";
  throw new TooManyRequestsError(
    `Too many requests: ${whose} may make ${decision.limit} requests per ${decision.windowSeconds} s. Retry after ${decision.retryAfterSeconds} s.`,
    decision.retryAfterSeconds,
  );
}
