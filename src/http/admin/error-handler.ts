import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { URN } from '../../schema/urns.js';
import { API_ERROR_CODES, ServiceError, type ApiErrorCode } from '../../service/errors.js';

/** The management API's error body: a stable code and a message for people. */
export interface ApiErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string };
}

/** Thrown by the management API's own hooks. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function classify(error: FastifyError | Error): { code: ApiErrorCode; message: string } {
  if (error instanceof ApiError || error instanceof ServiceError) return { code: error.code, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined || fastifyError.code === 'FST_ERR_VALIDATION') return { code: 'VALIDATION_FAILED', message: error.message };
  if (fastifyError.statusCode === 400 || fastifyError.code?.startsWith('FST_ERR_CTP_') === true) return { code: 'VALIDATION_FAILED', message: error.message };
  return { code: 'INTERNAL', message: 'An unexpected error occurred; it has been logged.' };
}

/** The one place where management API failures become responses. */
export function apiErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { code, message } = classify(error);
  const status = API_ERROR_CODES[code].status;
  if (status >= 500) request.log.error({ err: error }, 'management API request failed');
  if (code === 'UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="roster-management"');
  const body: ApiErrorBody = { error: { code, message } };
  // A feed reader told to start again gets the SCIM error shape too (docs/events.md, "Retention").
  if (code === 'FEED_POSITION_EXPIRED') return reply.code(status).send({ schemas: [URN.error], status: String(status), detail: message, ...body });
  return reply.code(status).send(body);
}
