import { InvalidCursorError, ServiceUnavailableError } from '../scim/errors.js';
import type { FilterNode } from '../scim/filter/ast.js';
import { InvalidCursor, QueryDeadlineExceeded, type SortSpec } from '../store/store.js';

/** A SCIM list query as the services take it (RFC 7644 §3.4.2, RFC 9865). */
export interface ListParams {
  readonly filter?: FilterNode;
  readonly sort?: SortSpec;
  /** 0-based, for index paging. */
  readonly offset: number;
  readonly limit: number;
  /** Present for cursor paging: the cursor to continue from (it holds its direction), null on the first page. */
  readonly cursor?: { readonly position: string | null };
  /** When the list must stop (epoch milliseconds; see ListQuery.deadline). */
  readonly deadline?: number;
}

/** Seconds a client is asked to wait after a list was stopped at its deadline. */
export const DEADLINE_RETRY_AFTER_SECONDS = 5;

/** The 503 of a list that ran (or waited) past its deadline. */
export function deadlineError(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    'The list took longer than this server allows and was stopped; narrow the filter (an eq on userName, externalId or emails is fastest) or try again later.',
    DEADLINE_RETRY_AFTER_SECONDS,
  );
}

export interface ListPage<View> {
  readonly total: number;
  readonly views: readonly View[];
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

/**
 * Runs a store query, turning a cursor the store cannot honour into 400 invalidCursor and a
 * query stopped at its deadline into 503 with Retry-After.
 */
export async function withCursorErrors<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof InvalidCursor) throw new InvalidCursorError('The cursor is not valid for this query.');
    if (error instanceof QueryDeadlineExceeded) throw deadlineError();
    throw error;
  }
}
