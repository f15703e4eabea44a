import { URN } from '../../schema/urns.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';

const PREFIX = 'bulkId:';

/** A `bulkId:<id>` reference found in an operation's data (RFC 7644 §3.7.2). */
export interface DataReference {
  readonly bulkId: string;
  /**
   * True when the reference sits in an element of a multi-valued attribute (a group's
   * `members`), so the element can be left out of the create and added by a PATCH once the
   * referenced resource exists: how circular references are resolved (RFC 7644 §3.7.1).
   */
  readonly deferrable: boolean;
}

/** Elements of one multi-valued attribute held back from a create, added later. */
export interface DeferredValues {
  /** The PATCH path of the attribute: its name, URN-qualified inside an extension. */
  readonly path: string;
  readonly elements: readonly JsonValue[];
}

/** The bulkId a string value refers to, if it is a `bulkId:<id>` reference. */
export function bulkIdOf(value: string): string | undefined {
  return value.startsWith(PREFIX) && value.length > PREFIX.length ? value.slice(PREFIX.length) : undefined;
}

function isExtension(key: string, value: JsonValue): value is JsonObject {
  return key.toLowerCase().startsWith('urn:') && isJsonObject(value);
}

/** The bulkIds referenced anywhere inside a value. */
function collect(value: JsonValue, deferrable: boolean, out: DataReference[]): void {
  if (typeof value === 'string') {
    const bulkId = bulkIdOf(value);
    if (bulkId !== undefined) out.push({ bulkId, deferrable });
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, deferrable, out);
  } else if (isJsonObject(value)) {
    for (const item of Object.values(value)) collect(item, deferrable, out);
  }
}

/** Calls `visit` with each attribute of a resource body: core attributes and those of extension objects. */
function forEachAttribute(data: JsonObject, visit: (path: string, value: JsonValue) => void): void {
  for (const [key, value] of Object.entries(data)) {
    if (isExtension(key, value)) {
      for (const [name, inner] of Object.entries(value)) visit(`${key}:${name}`, inner);
    } else {
      visit(key, value);
    }
  }
}

/**
 * Every `bulkId:<id>` reference in an operation's data, in any attribute including
 * extensions (RFC 7644 §3.7.2). Only string values that are whole references count.
 */
export function referencesIn(data: JsonObject): DataReference[] {
  const out: DataReference[] = [];
  forEachAttribute(data, (_path, value) => {
    if (Array.isArray(value)) for (const element of value) collect(element, true, out);
    else collect(value, false, out);
  });
  return out;
}

/** Replaces every `bulkId:<id>` string with the id `idOf` gives (which throws for an unresolved one). */
export function resolveReferences(value: JsonValue, idOf: (bulkId: string) => string): JsonValue {
  if (typeof value === 'string') {
    const bulkId = bulkIdOf(value);
    return bulkId === undefined ? value : idOf(bulkId);
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, idOf));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = resolveReferences(item, idOf);
    return out;
  }
  return value;
}

/**
 * Takes out of a create's data the elements of multi-valued attributes that reference one of
 * `bulkIds`: the resource is created without them, and `deferredPatch` adds them afterwards.
 */
export function splitDeferred(data: JsonObject, bulkIds: ReadonlySet<string>): { data: JsonObject; deferred: DeferredValues[] } {
  const deferred: DeferredValues[] = [];
  const refersToDeferred = (element: JsonValue): boolean => {
    const found: DataReference[] = [];
    collect(element, true, found);
    return found.some((reference) => bulkIds.has(reference.bulkId));
  };
  const split = (path: string, value: JsonValue): JsonValue => {
    if (!Array.isArray(value)) return value;
    const held = value.filter(refersToDeferred);
    if (held.length === 0) return value;
    deferred.push({ path, elements: held });
    return value.filter((element) => !refersToDeferred(element));
  };
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(data)) {
    if (isExtension(key, value)) {
      const extension: JsonObject = {};
      for (const [name, inner] of Object.entries(value)) extension[name] = split(`${key}:${name}`, inner);
      out[key] = extension;
    } else {
      out[key] = split(key, value);
    }
  }
  return { data: out, deferred };
}

/** The PatchOp that adds held-back elements (RFC 7644 §3.5.2.1: add merges into a multi-valued attribute). */
export function deferredPatch(deferred: readonly DeferredValues[]): JsonObject {
  return {
    schemas: [URN.patchOp],
    Operations: deferred.map((values) => ({ op: 'add', path: values.path, value: [...values.elements] })),
  };
}
