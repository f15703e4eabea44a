import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { MethodNotAllowedError } from '../../scim/errors.js';
import type { JsonObject } from '../../scim/json.js';
import type { ScimRequestState } from './auth.js';
import { SCIM_CONTENT_TYPE } from './error-handler.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const METHODS: readonly HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Registers a path's handlers and answers every other method with a 405 SCIM error, so
 * that a method the endpoint lacks is told apart from an endpoint that does not exist.
 */
export function endpoint(app: FastifyInstance, url: string, handlers: Partial<Record<HTTPMethods, Handler>>): void {
  const allowed = METHODS.filter((method) => handlers[method] !== undefined);
  for (const method of METHODS) {
    const handler = handlers[method];
    app.route({
      method,
      url,
      handler:
        handler ??
        ((): Promise<never> => {
          throw new MethodNotAllowedError(`${method} is not supported on this endpoint; use ${allowed.join(', ')}.`);
        }),
    });
  }
}

/** The authenticated state of a SCIM request (set by the plugin's onRequest hook). */
export function scimState(request: FastifyRequest): ScimRequestState {
  const state = request.scim;
  if (state === null) throw new Error('SCIM route reached without authentication');
  return state;
}

export interface SendOptions {
  readonly status?: number;
  readonly etag?: string;
  readonly location?: string;
}

/** Sends a SCIM JSON body with the SCIM media type (RFC 7644 §3.1, §8.1). */
export function sendScim(reply: FastifyReply, body: JsonObject, options: SendOptions = {}): FastifyReply {
  reply.code(options.status ?? 200).type(SCIM_CONTENT_TYPE);
  if (options.etag !== undefined) reply.header('etag', options.etag);
  if (options.location !== undefined) reply.header('location', options.location);
  return reply.send(body);
}

/** The request's header as one string, if present. */
export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
