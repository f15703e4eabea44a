import type { SchemaRegistry } from '../schema/registry.js';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/types.js';
import { parseAttributePath } from '../schema/attribute-path.js';
import { InvalidValueError } from './errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/** One named attribute: where it sits in the resource JSON, and optionally one sub-attribute. */
interface Selector {
  /** Extension URN holding the attribute, or undefined for core/common attributes. */
  readonly container: string | undefined;
  /** Canonical attribute name; undefined when the selector names a whole extension. */
  readonly name: string | undefined;
  readonly subAttribute: string | undefined;
}

/** `attributes` or `excludedAttributes` of a request (RFC 7644 §3.9), resolved against the schema. */
export type Projection =
  | { readonly kind: 'default' }
  | { readonly kind: 'include'; readonly selectors: readonly Selector[] }
  | { readonly kind: 'exclude'; readonly selectors: readonly Selector[] };

/** Attributes every response carries whatever the request asks (returned: always, RFC 7643 §7). */
const ALWAYS = new Set(['schemas', 'id', 'meta']);

function splitList(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

function selectorOf(text: string, registry: SchemaRegistry, type: ResourceTypeDefinition): Selector | undefined {
  const path = parseAttributePath(text);
  if (path === undefined) throw new InvalidValueError(`"${text}" is not an attribute name.`);
  const extension = registry.extensionNamedBy(type, path);
  if (extension !== undefined) return { container: extension.id, name: undefined, subAttribute: undefined };
  const resolved = registry.resolve(type, path);
  // RFC 7644 §3.9 does not make an unknown name an error; it simply selects nothing.
  if (resolved === undefined) return undefined;
  return {
    container: resolved.inExtension ? resolved.schema : undefined,
    name: resolved.attribute.name,
    subAttribute: resolved.subAttribute?.name,
  };
}

/**
 * Reads `attributes` / `excludedAttributes` (comma-separated, from a query string or a
 * /.search body). Giving both is a 400 invalidValue, as they are mutually exclusive.
 */
export function readProjection(params: { attributes?: unknown; excludedAttributes?: unknown }, registry: SchemaRegistry, type: ResourceTypeDefinition): Projection {
  const include = splitList(params.attributes);
  const exclude = splitList(params.excludedAttributes);
  if (include.length > 0 && exclude.length > 0) throw new InvalidValueError('Use either "attributes" or "excludedAttributes", not both.');
  if (include.length > 0) return { kind: 'include', selectors: include.flatMap((text) => selectorOf(text, registry, type) ?? []) };
  if (exclude.length > 0) return { kind: 'exclude', selectors: exclude.flatMap((text) => selectorOf(text, registry, type) ?? []) };
  return { kind: 'default' };
}

/** Whether the projection will show the named top-level core attribute, e.g. to skip loading `members`. */
export function projectionShows(projection: Projection, name: string): boolean {
  const lower = name.toLowerCase();
  const names = (selectors: readonly Selector[]): Selector[] => selectors.filter((s) => s.container === undefined && s.name?.toLowerCase() === lower);
  switch (projection.kind) {
    case 'default':
      return true;
    case 'include':
      return names(projection.selectors).length > 0;
    case 'exclude':
      return !names(projection.selectors).some((selector) => selector.subAttribute === undefined);
  }
}

function pickSub(value: JsonValue, sub: string): JsonValue | undefined {
  if (Array.isArray(value)) {
    const picked = value.flatMap((item) => (isJsonObject(item) && item[sub] !== undefined ? [{ [sub]: item[sub] }] : []));
    return picked.length === 0 ? undefined : picked;
  }
  if (isJsonObject(value)) return value[sub] === undefined ? undefined : { [sub]: value[sub] };
  return undefined;
}

function dropSub(value: JsonValue, sub: string): JsonValue | undefined {
  const without = (item: JsonValue): JsonValue => {
    if (!isJsonObject(item)) return item;
    const { [sub]: _dropped, ...rest } = item;
    return rest;
  };
  if (Array.isArray(value)) return value.map(without);
  return isJsonObject(value) ? without(value) : value;
}

/** Holder object of a selector: the resource itself or its extension object. */
function holderOf(resource: JsonObject, container: string | undefined): JsonObject | undefined {
  if (container === undefined) return resource;
  const value = resource[container];
  return isJsonObject(value) ? value : undefined;
}

interface HiddenAttribute {
  readonly container: string | undefined;
  readonly definition: AttributeDefinition;
}

/** Per registry and resource type: they are immutable, and every response needs the list. */
const requestOnlyCache = new WeakMap<SchemaRegistry, WeakMap<ResourceTypeDefinition, readonly HiddenAttribute[]>>();

/** Attributes whose `returned` is `request` or `never`, which a default response leaves out. */
function requestOnly(registry: SchemaRegistry, type: ResourceTypeDefinition): readonly HiddenAttribute[] {
  let byType = requestOnlyCache.get(registry);
  if (byType === undefined) requestOnlyCache.set(registry, (byType = new WeakMap()));
  let hidden = byType.get(type);
  if (hidden === undefined) {
    const pick = (container: string | undefined, attributes: readonly AttributeDefinition[]) =>
      attributes.filter((definition) => definition.returned === 'request' || definition.returned === 'never').map((definition) => ({ container, definition }));
    hidden = [...pick(undefined, registry.coreOf(type).attributes), ...registry.extensionsOf(type).flatMap((schema) => pick(schema.id, schema.attributes))];
    byType.set(type, hidden);
  }
  return hidden;
}

/**
 * A copy that attributes can be deleted from without touching `resource`: the resource object
 * and its extension objects are copied, values below them are shared (never mutated here).
 * A deep clone of every response cost more than the rest of a read.
 */
function removableCopy(resource: JsonObject, extensions: readonly string[]): JsonObject {
  const out = { ...resource };
  for (const urn of extensions) {
    const value = out[urn];
    if (isJsonObject(value)) out[urn] = { ...value };
  }
  return out;
}

/**
 * Applies a projection to a rendered resource (RFC 7644 §3.9, RFC 7643 §7 `returned`):
 * `always` attributes stay, `never` ones go, `request` ones appear only when named.
 */
export function applyProjection(resource: JsonObject, projection: Projection, registry: SchemaRegistry, type: ResourceTypeDefinition): JsonObject {
  let out: JsonObject;
  const extensions = registry.extensionsOf(type).map((schema) => schema.id);
  if (projection.kind === 'include') {
    out = {};
    for (const key of ALWAYS) if (resource[key] !== undefined) out[key] = resource[key];
    for (const selector of projection.selectors) {
      const source = holderOf(resource, selector.container);
      if (source === undefined) continue;
      let target = out;
      if (selector.container !== undefined) {
        const existing = out[selector.container];
        target = isJsonObject(existing) ? existing : {};
        out[selector.container] = target;
      }
      if (selector.name === undefined) {
        Object.assign(target, source);
        continue;
      }
      const value = source[selector.name];
      if (value === undefined) continue;
      const picked = selector.subAttribute === undefined ? value : pickSub(value, selector.subAttribute);
      if (picked === undefined) continue;
      const current = target[selector.name];
      target[selector.name] = isJsonObject(current) && isJsonObject(picked) ? { ...current, ...picked } : picked;
    }
  } else {
    out = removableCopy(resource, extensions);
    for (const { container, definition } of requestOnly(registry, type)) delete holderOf(out, container)?.[definition.name];
    if (projection.kind === 'exclude') {
      for (const selector of projection.selectors) {
        if (selector.name === undefined) {
          if (selector.container !== undefined) delete out[selector.container];
          continue;
        }
        if (ALWAYS.has(selector.name) && selector.container === undefined) continue;
        const holder = holderOf(out, selector.container);
        if (holder === undefined) continue;
        if (selector.subAttribute === undefined) delete holder[selector.name];
        else {
          const value = holder[selector.name];
          if (value !== undefined) holder[selector.name] = dropSub(value, selector.subAttribute) ?? null;
        }
      }
    }
  }
  // Extension objects emptied by the projection disappear, and `schemas` follows what is shown.
  for (const urn of extensions) if (isJsonObject(out[urn]) && Object.keys(out[urn]).length === 0) delete out[urn];
  if (Array.isArray(out.schemas)) out.schemas = out.schemas.filter((urn) => typeof urn !== 'string' || !extensions.includes(urn) || out[urn] !== undefined);
  return out;
}
