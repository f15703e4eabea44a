import { PreconditionFailedError } from '../scim/errors.js';

/** The weak ETag of a resource version (RFC 7644 §3.14, RFC 7643 §3.1 `meta.version`). */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * Checks an If-Match header against the current version: `*` or any listed tag matches
 * (weak comparison, so `"3"` matches `W/"3"`). Throws 412 otherwise.
 */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const current = String(version);
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
  if (!tags.includes(current)) {
    throw new PreconditionFailedError(`The resource has changed: its current version is ${etagOf(version)}.`);
  }
}
