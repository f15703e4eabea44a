import { URN } from '../../schema/urns.js';
import { InvalidSyntaxError } from '../../scim/errors.js';
import { isJsonObject, type JsonObject } from '../../scim/json.js';

/**
 * Reads a SearchRequest body (RFC 7644 §3.4.3) into the same parameters a GET query string
 * carries. The `schemas` member must name the SearchRequest message.
 */
export function readSearchRequest(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw new InvalidSyntaxError('A search request body must be a JSON object.');
  const schemas = body.schemas;
  const named = Array.isArray(schemas) && schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === URN.searchRequest.toLowerCase());
  if (!named) throw new InvalidSyntaxError(`A search request must list "${URN.searchRequest}" in schemas.`);
  return body;
}
