import type { FilterNode } from '../filter/ast.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { ReadInputOptions } from '../resource/read-input.js';

/** The three PATCH operations of RFC 7644 §3.5.2, normalised to lower case. */
export type PatchOpName = 'add' | 'remove' | 'replace';

/** One validated entry of a PatchOp message's `Operations` array. */
export interface PatchOperation {
  /** Position in `Operations`, used in every error detail (`Operations[2]: …`). */
  readonly index: number;
  readonly op: PatchOpName;
  /** The path as sent (trimmed); absent for add/replace on the resource itself. */
  readonly path?: string;
  /** The value as sent; absent only for remove. */
  readonly value?: JsonValue;
}

/**
 * An operation on an attribute the caller applies itself (Group `members`, so that a
 * 100,000-member group is never loaded). Fully validated: the path resolved, the filter
 * checked against the attribute's sub-attributes and the value coerced.
 */
export interface DeferredOperation {
  readonly index: number;
  readonly op: PatchOpName;
  /** Canonical name of the top-level attribute, e.g. `members`. */
  readonly attribute: string;
  /** The value filter of a value path such as `members[value eq "u-1"]`. */
  readonly filter?: FilterNode;
  /** Canonical sub-attribute name of `attr.sub` or `attr[filter].sub`. */
  readonly subAttribute?: string;
  /**
   * The coerced value. For add/replace on the whole attribute: an array of elements (possibly
   * empty: replace with [] clears the attribute). For remove: present only when the request
   * named the values to remove (Entra's `{"op":"Remove","path":"members","value":[…]}`);
   * an empty array then removes nothing, whereas an absent value removes every element.
   * For a filter or sub-attribute target: one element or sub-attribute value; absent on a
   * replace means null (unassign the selected values or sub-attributes).
   * `$ref` is dropped from elements: Roster derives it from `value` and `type` (T7).
   */
  readonly value?: JsonValue;
}

/** How applyPatch reads values and which attributes it leaves to the caller. */
export type PatchOptions = ReadInputOptions & {
  /** Top-level attributes (e.g. `['members']`) whose operations are returned, not applied. */
  readonly deferredAttributes?: readonly string[];
};

/** What applyPatch returns. */
export interface PatchResult {
  /** The patched resource in canonical form (a new object; the input is left untouched). */
  readonly resource: JsonObject;
  /** False when `resource` deep-equals the input, so lastModified must not move (RFC 7644 §3.5.2.1). */
  readonly changed: boolean;
  /** Operations on `deferredAttributes`, in request order. */
  readonly deferred: readonly DeferredOperation[];
}
