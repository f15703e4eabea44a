import { InvalidCursor } from '../../store.js';

/**
 * Cursor strings (RFC 9865): base64url of a small JSON object, so only unreserved URL
 * characters. A cursor names a boundary in the list's total order, next to the row whose
 * (sort key, created, id) it holds, and the direction to read from there:
 *
 * `nextCursor` = just after the page's last row, reading forward; `previousCursor` = just
 * before its first row, reading backwards. The boundary is kept by value, not by offset, so
 * rows inserted or deleted elsewhere shift nothing (keyset paging).
 *
 * The sort it was made for is part of it: a cursor used with another sortBy/sortOrder is
 * refused. Cursors are not signed: the store re-applies the tenant and the filter on every
 * page, so a forged cursor can only choose where a page of the caller's own data starts.
 */
export interface CursorPosition {
  /** The sort key of the boundary row (absent without sortBy); null when that row has no value. */
  readonly key?: string | number | null;
  readonly created: string;
  readonly id: string;
  /** The boundary is just after the row (else just before it), in the list's order. */
  readonly after: boolean;
  /** Read towards the start of the list. */
  readonly backwards: boolean;
}

interface Payload {
  s: string;
  k?: string | number | null;
  c: string;
  i: string;
  a: 0 | 1;
  b: 0 | 1;
}

/** Longer strings are not cursors Roster issued (they hold two timestamps-sized strings and a key). */
const MAX_LENGTH = 4096;

export function encodeListCursor(position: CursorPosition, sort: string): string {
  const payload: Payload = {
    s: sort,
    ...(position.key === undefined ? {} : { k: position.key }),
    c: position.created,
    i: position.id,
    a: position.after ? 1 : 0,
    b: position.backwards ? 1 : 0,
  };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function invalid(): never {
  throw new InvalidCursor('The cursor is not one this server issued for this query.');
}

function isFlag(value: unknown): value is 0 | 1 {
  return value === 0 || value === 1;
}

/**
 * Reads a cursor made for `sort`; `keyKind` is the kind of sort key the query has (undefined
 * without sortBy). Throws InvalidCursor for anything else.
 */
export function decodeListCursor(text: string, sort: string, keyKind: 'text' | 'number' | undefined): CursorPosition {
  if (text.length === 0 || text.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) invalid();
  const payload = parsed as Partial<Record<keyof Payload, unknown>>;
  if (payload.s !== sort || typeof payload.c !== 'string' || typeof payload.i !== 'string' || !isFlag(payload.a) || !isFlag(payload.b)) invalid();
  const key = payload.k;
  if (keyKind === undefined) {
    if (key !== undefined) invalid();
  } else if (key !== null && !(keyKind === 'text' ? typeof key === 'string' : isNumeric(key))) {
    invalid();
  }
  return {
    ...(keyKind === undefined ? {} : { key: key as string | number | null }),
    created: payload.c,
    id: payload.i,
    after: payload.a === 1,
    backwards: payload.b === 1,
  };
}

/** Numbers, or the decimal text some drivers return for numeric columns. */
function isNumeric(value: unknown): value is number | string {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value);
}
