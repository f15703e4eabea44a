import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { URN } from '../../schema/urns.js';
import {
  InternalError,
  InvalidSyntaxError,
  PayloadTooLargeError,
  ScimError,
  UnsupportedMediaTypeError,
} from '../../scim/errors.js';
import type { JsonObject } from '../../scim/json.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The SCIM error the response reports, set where the response is made: by the error
     * handler, or by /Bulk for its failed operations. The provisioning log records it.
     */
    scimError: SentError | null;
  }
}

/** A SCIM error as a response reported it. */
export interface SentError {
  readonly scimType: string | null;
  readonly detail: string;
}

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** The SCIM error body (RFC 7644 §3.12): status as a string, scimType when there is one. */
export function errorBody(error: ScimError): JsonObject {
  return {
    schemas: [URN.error],
    status: String(error.status),
    ...(error.scimType === undefined ? {} : { scimType: error.scimType }),
    detail: error.detail,
  };
}

/** Maps what Fastify itself rejects (body parsing, size) onto SCIM errors. */
function fromFastify(error: FastifyError): ScimError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new InvalidSyntaxError('The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError('The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError('Send request bodies as application/scim+json or application/json.');
    default:
      if (error instanceof SyntaxError) return new InvalidSyntaxError(`The request body is not valid JSON: ${error.message}`);
      if (error.statusCode === 400) return new InvalidSyntaxError(error.message);
      return undefined;
  }
}

/** The one place where failures become SCIM responses. Unknown errors are logged 500s without internals. */
export function scimErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const scimError =
    error instanceof ScimError ? error : fromFastify(error as FastifyError) ?? new InternalError('An unexpected error occurred; it has been logged.');
  if (scimError.status >= 500) request.log.error({ err: error }, 'SCIM request failed');
  request.scimError = { scimType: scimError.scimType ?? null, detail: scimError.detail };
  return reply.code(scimError.status).headers(scimError.headers).type(SCIM_CONTENT_TYPE).send(errorBody(scimError));
}
