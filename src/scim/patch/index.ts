/** SCIM PATCH (RFC 7644 §3.5.2): read a PatchOp message, then apply it to a resource. */
export { applyPatch } from './apply.js';
export { readPatchRequest } from './request.js';
export type { DeferredOperation, PatchOperation, PatchOptions, PatchResult } from './types.js';
