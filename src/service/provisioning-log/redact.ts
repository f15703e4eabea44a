/** Keys whose values are secrets: SCIM's password, and whatever an IdP calls a token or key. */
const SECRET_KEY = /password|passphrase|secret|token|credential|api_?key|authorization|private_?key/i;

const REDACTED = '[REDACTED]';

/** Request bodies above this many characters (as JSON) are cut; a /Bulk request can be a megabyte. */
export const MAX_LOGGED_BODY = 16_384;

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  // A PATCH operation on a secret attribute (`{"op":"replace","path":"password","value":…}`).
  const secretPath = typeof object.path === 'string' && SECRET_KEY.test(object.path);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    out[key] = SECRET_KEY.test(key) || (secretPath && key.toLowerCase() === 'value') ? REDACTED : redactValue(item);
  }
  return out;
}

/**
 * A request body as the provisioning log keeps it: JSON with secrets replaced by
 * "[REDACTED]" at any depth (attribute names, PATCH paths, extension attributes), cut to
 * MAX_LOGGED_BODY characters. Null when there is no body.
 */
export function redactBody(body: unknown, limit = MAX_LOGGED_BODY): string | null {
  if (body === undefined || body === null) return null;
  const text = JSON.stringify(redactValue(body));
  if (text === undefined) return null;
  return text.length <= limit ? text : `${text.slice(0, limit)}…[${text.length - limit} more characters]`;
}
