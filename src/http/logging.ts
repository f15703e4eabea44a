import type { FastifyRequest } from 'fastify';

/** What pino needs to know of where log lines go (a test captures them). */
export interface LogDestination {
  write(line: string): void;
}

/**
 * Roster's secrets all look alike: a prefix (`rst_` SCIM token, `rok_` operator key, `rsl_`
 * setup link, `rcs_` console session) and 32 random bytes in base64url, or `whsec_` (webhook
 * signing secret) and standard base64 (`+`, `/`, `=`; percent-encoded in a URL), as Standard
 * Webhooks has it. Any such run in a logged string is masked, wherever it appears (a URL path
 * or query, a message).
 */
const SECRET = /\b(rst|rok|rsl|rcs)_[A-Za-z0-9_-]{20,}|\b(whsec)_(?:[A-Za-z0-9+/_-]|%2[BFbf]){20,}(?:=|%3[Dd]){0,2}/g;

/** `text` with every secret-shaped run replaced by its prefix and `[redacted]`. */
export function maskSecrets(text: string): string {
  return text.replace(SECRET, (_match, prefix: string | undefined, webhookPrefix: string | undefined) => `${prefix ?? webhookPrefix ?? ''}_[redacted]`);
}

/**
 * Header and cookie fields pino censors in any logged object. Fastify's request
 * serializer logs no headers, so these guard the places that log headers on purpose
 * (a hook logging a failed request, a future debug line).
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'request.headers.authorization',
  'request.headers.cookie',
  'authorization',
  'cookie',
  'token',
  'secret',
  'password',
];

/** The request as logged: Fastify's default fields, with secrets in the URL masked. */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: maskSecrets(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort,
  };
}

/**
 * Fastify's `logger` option: the level, pino redaction of credentials, and URLs with
 * secrets masked. False when request logging is off.
 */
export function loggerOptions(level: string | false | undefined, destination?: LogDestination): false | Record<string, unknown> {
  if (level === false || level === undefined) return false;
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
    ...(destination === undefined ? {} : { stream: destination }),
  };
}
