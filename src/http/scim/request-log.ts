import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { now } from '../../service/clock.js';
import { redactBody, redactQuery } from '../../service/provisioning-log/redact.js';
import { RequestLogScope, requestScope, type RequestFacts } from '../../service/provisioning-log/scope.js';
import type { Services } from '../../service/services.js';
import type { RosterMetrics } from '../metrics/roster-metrics.js';
import { maskSecrets } from '../logging.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's provisioning-log entry while its handler runs (request-log.ts). */
    provisioningLog: RequestLogScope | null;
  }
}

const MAX_PATH = 2000;
const MAX_USER_AGENT = 500;
const MAX_DETAIL = 2000;
/** The summary of refused requests keeps the last user agent of each minute, this short. */
const MAX_REFUSED_USER_AGENT = 200;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}…`;
}

/** The route without its base path: `/Users/:id`, `/Bulk`; `unmatched` for unknown paths. */
function routeOf(request: FastifyRequest): string {
  const url = request.routeOptions.url;
  if (url === undefined) return 'unmatched';
  return url.replace(/^\/scim\/v2(\/:tenantId)?/, '') || '/';
}

/** The resource an item path names: `/Users/{id}` or `/Groups/{id}`. */
function pathResource(request: FastifyRequest): RequestFacts['pathResource'] {
  const { id } = request.params as { id?: unknown };
  if (typeof id !== 'string') return undefined;
  const route = routeOf(request);
  if (route === '/Users/:id') return { type: 'User', id };
  if (route === '/Groups/:id') return { type: 'Group', id };
  return undefined;
}

/** What the log records of an authenticated request (the token names the tenant). */
function factsOf(request: FastifyRequest, reply: FastifyReply, tenantId: string): RequestFacts {
  const state = request.scim;
  const userAgent = request.headers['user-agent'];
  const resource = pathResource(request);
  return {
    startedAt: new Date(Date.now() - reply.elapsedTime).toISOString(),
    method: request.method,
    // A token an IdP put in the query string (?access_token=…) is masked, never kept.
    path: clip(redactQuery(maskSecrets(request.url), state?.context.registry), MAX_PATH),
    userAgent: userAgent === undefined ? null : clip(userAgent, MAX_USER_AGENT),
    tenantId,
    tokenId: state?.token.id ?? null,
    tokenName: state?.token.name ?? null,
    requestBody: redactBody(request.body, state?.context.registry),
    ...(resource === undefined ? {} : { pathResource: resource }),
  };
}

/** A request that reads: GET (and HEAD), or a POST to `/.search`. */
function isRead(request: FastifyRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  return request.method === 'POST' && routeOf(request).endsWith('/.search');
}

/**
 * The tenant a request is logged under. Authenticated, the token's. Refused by
 * authentication, the tenant its path names, if that tenant exists, so that the admin sees
 * an IdP failing with a wrong token (counted per minute, not logged); a refused request on
 * the token-only base URL names no tenant and is not counted (pino's request log has it).
 */
async function tenantOf(request: FastifyRequest, services: Services): Promise<string | undefined> {
  const known = request.scim?.context.tenant.id;
  if (known !== undefined) return known;
  const claimed = (request.params as { tenantId?: unknown } | undefined)?.tenantId;
  if (typeof claimed !== 'string') return undefined;
  const tenant = await services.tenants.get(claimed).catch(() => undefined);
  return tenant?.id;
}

/**
 * The provisioning log and metrics of SCIM requests (docs/architecture.md, "The provisioning
 * log"). The handler runs inside the request's log scope, so its write transactions commit
 * the entry with the write; after the response the entry gets its status and duration, or,
 * for a request that wrote nothing, is written whole.
 */
export function registerRequestLog(app: FastifyInstance, services: Services, metrics: RosterMetrics | undefined): void {
  const recorder = services.provisioningLog.recorder;
  app.decorateRequest('provisioningLog', null);

  // Callback style on purpose: `done` runs the handler synchronously, so the handler and
  // everything it awaits see the scope (an async hook would resume outside it). A read
  // commits no transaction, so it needs no scope: its entry, when kept, is built after the
  // response (most successful reads are not kept, see below).
  app.addHook('preHandler', (request, reply, done) => {
    const state = request.scim;
    if (state === null || isRead(request)) {
      done();
      return;
    }
    const scope = new RequestLogScope(factsOf(request, reply, state.context.tenant.id));
    request.provisioningLog = scope;
    requestScope.run(scope, done);
  });

  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const durationMs = reply.elapsedTime;
    metrics?.request(`${request.method} ${routeOf(request)}`, status, metrics.tenantClass(request.scim?.context.tenant.settings), durationMs / 1000);
    // What the error handler (or /Bulk) recorded as it made the response; never read back from the body.
    const sent = request.scimError;
    const error = { scimType: sent?.scimType ?? null, errorDetail: sent === null ? null : clip(sent.detail, MAX_DETAIL) };
    const scope = request.provisioningLog;
    if (scope?.written === true) {
      recorder.complete({ tenantId: scope.facts.tenantId, id: scope.id, finishedAt: now(), status, durationMs, ...error });
      return;
    }
    const state = request.scim;
    // Successful reads are sampled, one per token a minute (log-recorder.ts): the entry is
    // built only for the read that is kept.
    if (scope === null && state !== null && status < 400 && isRead(request)) {
      const tenantId = state.context.tenant.id;
      recorder.read(tenantId, state.token.id, () => ({ ...new RequestLogScope(factsOf(request, reply, tenantId)).entry(), finishedAt: now(), status, durationMs, ...error }));
      return;
    }
    let entry = scope?.entry();
    if (entry === undefined) {
      const tenantId = await tenantOf(request, services);
      if (tenantId === undefined) return;
      if (request.scim === null) {
        // Refused before authentication: counted, never stored one by one (anyone can send these).
        const userAgent = request.headers['user-agent'];
        recorder.refused(tenantId, new Date(Date.now() - durationMs).toISOString(), status, userAgent === undefined ? null : clip(userAgent, MAX_REFUSED_USER_AGENT));
        return;
      }
      entry = new RequestLogScope(factsOf(request, reply, tenantId)).entry();
    }
    // Writes that wrote nothing (a PATCH that changed nothing) and errors are logged one by one.
    recorder.add({ ...entry, finishedAt: now(), status, durationMs, ...error });
  });
}
