import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, ScimError } from '../scim/errors.js';
import { errorBody, SCIM_CONTENT_TYPE } from './scim/error-handler.js';

/** A request URL Fastify cannot route at all (bad percent-encoding): 400 without a scimType. */
class BadUrlError extends ScimError {
  readonly status = 400;
}

/**
 * Fastify's own refusals made before any route or plugin sees the request (a malformed
 * percent-encoding, a path parameter over the length limit), answered in the format of the
 * API the URL belongs to: a SCIM error under /scim/, the management API's error elsewhere.
 * Fastify's default answer would echo the path, which may carry a secret.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  if (request.url.startsWith('/scim/')) {
    const scimError = tooLong ? new NotFoundError('No such SCIM resource.') : new BadUrlError('The request URL is not valid: check its percent-encoding.');
    void reply.code(scimError.status).type(SCIM_CONTENT_TYPE).send(errorBody(scimError));
    return;
  }
  void reply
    .code(tooLong ? 404 : 400)
    .send({ error: { code: tooLong ? 'NOT_FOUND' : 'VALIDATION_FAILED', message: tooLong ? 'No such resource.' : 'The request URL is not valid: check its percent-encoding.' } });
}
