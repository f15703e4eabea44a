import { baseRegistry, type SchemaRegistry } from '../../schema/registry.js';
import type { AttributeDefinition } from '../../schema/types.js';

/** Keys whose values are secrets whatever the schemas say: whatever an IdP calls a token or key. */
const SECRET_KEY = /password|passphrase|secret|token|credential|api_?key|authorization|private_?key/i;

const REDACTED = '[REDACTED]';

/** Request bodies above this many characters (as JSON) are cut; a /Bulk request can be a megabyte. */
export const MAX_LOGGED_BODY = 16_384;

/** The pieces of a key, path or filter that could name an attribute: `urn:…:User:Password` → …, `user`, `password`. */
function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9$_-]+/);
}

function secretDefinition(attribute: AttributeDefinition): boolean {
  return attribute.mutability === 'writeOnly' || attribute.returned === 'never';
}

const secretNamesByRegistry = new WeakMap<SchemaRegistry, ReadonlySet<string>>();

/**
 * The lower-case names of the attributes the registry's schemas mark `writeOnly` or
 * `returned: never` (User's `password`, and whatever a schema adds), at any level.
 */
function secretNamesOf(registry: SchemaRegistry): ReadonlySet<string> {
  const known = secretNamesByRegistry.get(registry);
  if (known !== undefined) return known;
  const names = new Set<string>();
  const visit = (attributes: readonly AttributeDefinition[]): void => {
    for (const attribute of attributes) {
      if (secretDefinition(attribute)) names.add(attribute.name.toLowerCase());
      visit(attribute.subAttributes ?? []);
    }
  };
  for (const schema of registry.schemas()) visit(schema.attributes);
  secretNamesByRegistry.set(registry, names);
  return names;
}

/**
 * Redaction by schema rather than by one spelling. SCIM names are case-insensitive, may be
 * URN-qualified (`urn:…:User:password`), dotted (`name.givenName`) or carry a value filter
 * (`emails[type eq "work"].value`); the parsers accept all of these. So a key, PATCH path or
 * filter counts as naming a secret when any of its words is a secret attribute's name, in
 * any case. That redacts a little more than needed (a non-secret attribute that shares a
 * secret's name), never less.
 */
class Redactor {
  private readonly secretNames: ReadonlySet<string>;

  constructor(registry: SchemaRegistry, budget = Number.POSITIVE_INFINITY) {
    this.secretNames = secretNamesOf(registry);
    this.budget = budget;
  }

  /** Whether a key or PATCH path names a secret: a secret attribute, or something called a token or key. */
  namesSecret(text: string): boolean {
    return SECRET_KEY.test(text) || this.mentionsSecretAttribute(text);
  }

  /** Whether a path or filter mentions a secret attribute of the schemas. */
  mentionsSecretAttribute(text: string): boolean {
    return words(text).some((word) => this.secretNames.has(word));
  }

  /**
   * Characters of JSON the copy may still grow by. Each value counts at most what it takes
   * as JSON, so once the budget is spent the text is surely longer than the log keeps, and
   * the rest of the body is not walked (a 30,000-value PATCH costs what 16 KiB of it cost).
   */
  private budget: number;
  /** Whether the walk stopped before the end of the body. */
  cut = false;

  value(value: unknown): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        if (this.spent(1)) break;
        out.push(this.value(item));
      }
      return out;
    }
    if (typeof value !== 'object' || value === null) {
      this.spent(typeof value === 'string' ? value.length + 2 : 4);
      return value;
    }
    return this.object(value as Record<string, unknown>);
  }

  /** Counts `characters` against the budget; true when it was already spent (stop walking). */
  private spent(characters: number): boolean {
    if (this.budget < 0) {
      this.cut = true;
      return true;
    }
    this.budget -= characters;
    return false;
  }

  private object(object: Record<string, unknown>): Record<string, unknown> {
    // A PATCH operation on a secret (`{"op":"replace","Path":"PASSWORD","value":…}`): the
    // parsers read `path` and `value` in any case, so every such key counts.
    const entries = Object.entries(object);
    const secretPath = entries.some(([key, item]) => key.trim().toLowerCase() === 'path' && typeof item === 'string' && this.namesSecret(item));
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      if (this.spent(key.length + 3)) break;
      const lower = key.trim().toLowerCase();
      if (this.namesSecret(key) || (secretPath && lower === 'value')) out[key] = REDACTED;
      // A filter comparing a secret (`password eq "…"`, refused, but still sent) carries it.
      else if (typeof item === 'string' && (lower === 'filter' || lower === 'path') && item.includes('"') && this.mentionsSecretAttribute(item)) out[key] = REDACTED;
      else out[key] = this.value(item);
    }
    return out;
  }
}

/**
 * A request body as the provisioning log keeps it: JSON with secrets replaced by
 * "[REDACTED]" at any depth (attributes the tenant's schemas mark writeOnly or never
 * returned however they are spelled, PATCH operations on them, anything named like a
 * token or key), cut to `limit` characters. Null when there is no body.
 */
export function redactBody(body: unknown, registry: SchemaRegistry = baseRegistry, limit = MAX_LOGGED_BODY): string | null {
  if (body === undefined || body === null) return null;
  const redactor = new Redactor(registry, limit);
  const text = JSON.stringify(redactor.value(body));
  if (text === undefined) return null;
  if (text.length <= limit) return text;
  // Past the budget the length of the rest is not known (it was not walked).
  return `${text.slice(0, limit)}…[${redactor.cut ? '' : `${text.length - limit} `}more characters]`;
}

/**
 * A logged request URL with the value of a `filter` parameter replaced by "[REDACTED]"
 * when it names a secret attribute (`?filter=password eq "…"`): such a filter is refused,
 * but the URL that carried it is logged.
 */
export function redactQuery(url: string, registry: SchemaRegistry = baseRegistry): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const redactor = new Redactor(registry);
  const parts = url
    .slice(question + 1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      if (equals === -1) return part;
      let value: string;
      try {
        value = decodeURIComponent(part.slice(equals + 1).replace(/\+/g, ' '));
      } catch {
        value = part.slice(equals + 1);
      }
      return redactor.mentionsSecretAttribute(value) ? `${part.slice(0, equals)}=${encodeURIComponent(REDACTED)}` : part;
    });
  return `${url.slice(0, question)}?${parts.join('&')}`;
}
