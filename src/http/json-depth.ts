import type { FastifyInstance } from 'fastify';

/**
 * Whether JSON text nests arrays and objects deeper than `maxDepth`. A linear scan of the
 * text before JSON.parse: a deeply nested body (`[[[[…`) parses, but every recursive walk
 * over it afterwards (prototype-key checks, schema reading, rendering) could exhaust the
 * stack, so it is refused up front. Brackets inside strings do not count.
 */
export function jsonNestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c /* \ */) i += 1;
      else if (code === 0x22 /* " */) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) depth -= 1;
  }
  return false;
}

/** A JSON body nested deeper than the limit: 400 (invalidSyntax on SCIM, VALIDATION_FAILED on the management API). */
export class JsonTooDeepError extends Error {
  readonly statusCode = 400;
  readonly code = 'ROSTER_JSON_TOO_DEEP';

  constructor(maxDepth: number) {
    super(`The request body nests arrays and objects deeper than ${maxDepth} levels.`);
  }
}

/**
 * Replaces the root `application/json` parser with Fastify's secure one (which refuses
 * `__proto__` and `constructor.prototype` keys) behind the nesting check. Plugins that
 * install parsers of their own (SCIM) apply the same check there.
 */
export function registerDepthLimitedJson(app: FastifyInstance, maxDepth: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestingExceeds(text, maxDepth)) {
      done(new JsonTooDeepError(maxDepth), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
