import { InvalidCursorError } from '../scim/errors.js';
import type { FilterNode } from '../scim/filter/ast.js';
import { InvalidCursor, type SortSpec } from '../store/store.js';

/** A SCIM list query as the services take it (RFC 7644 §3.4.2, RFC 9865). */
export interface ListParams {
  readonly filter?: FilterNode;
  readonly sort?: SortSpec;
  /** 0-based, for index paging. */
  readonly offset: number;
  readonly limit: number;
  /** Present for cursor paging: the cursor to continue from (it holds its direction), null on the first page. */
  readonly cursor?: { readonly position: string | null };
}

export interface ListPage<View> {
  readonly total: number;
  readonly views: readonly View[];
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

/** Runs a store query, turning a cursor the store cannot honour into 400 invalidCursor. */
export async function withCursorErrors<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof InvalidCursor) throw new InvalidCursorError('The cursor is not valid for this query.');
    throw error;
  }
}
