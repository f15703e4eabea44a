import type { SchemaRegistry } from '../../schema/registry.js';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import { parseAttributePath } from '../../schema/attribute-path.js';
import { InvalidCountError, InvalidValueError } from '../../scim/errors.js';
import { parseFilterOrThrow, type FilterParseLimits } from '../../scim/filter/parser.js';
import { validateFilter } from '../../scim/filter/validate.js';
import type { ListParams } from '../../service/list.js';
import type { SortSpec } from '../../store/store.js';
import type { ListGuard } from './list-guard.js';

/** Paging limits, from configuration. */
export interface PageLimits {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  /** Longest and deepest filter accepted; the parser's defaults when absent. */
  readonly filter?: FilterParseLimits | undefined;
  /** Deadline and per-tenant concurrency of lists; none when absent. */
  readonly guard?: ListGuard | undefined;
}

/** A list request: the store query plus what the ListResponse echoes. */
export interface ListRequest {
  readonly params: ListParams;
  /** 1-based, as RFC 7644 §3.4.2.4 counts; undefined in cursor mode. */
  readonly startIndex: number | undefined;
}

/** The largest startIndex honoured as given; a larger one reads from here (an empty page). */
const MAX_START_INDEX = 2 ** 31;

/** A query parameter's text: the first value when it is repeated. */
function stringParam(raw: unknown): string | undefined {
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first === 'string') return first;
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  return undefined;
}

function integerParam(name: string, raw: unknown): number | undefined {
  if (typeof raw === 'number') return Math.trunc(raw);
  const text = stringParam(raw);
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new InvalidValueError(`The "${name}" parameter must be an integer, got "${text}".`);
  return Number.parseInt(text, 10);
}

function readSort(params: Readonly<Record<string, unknown>>, registry: SchemaRegistry, type: ResourceTypeDefinition): SortSpec | undefined {
  const sortBy = stringParam(params.sortBy)?.trim();
  const sortOrder = stringParam(params.sortOrder)?.trim().toLowerCase();
  if (sortOrder !== undefined && sortOrder !== '' && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw new InvalidValueError(`sortOrder must be "ascending" or "descending", got "${sortOrder}".`);
  }
  if (sortBy === undefined || sortBy === '') return undefined;
  const path = parseAttributePath(sortBy);
  const resolved = path === undefined ? undefined : registry.resolve(type, path);
  if (path === undefined || resolved === undefined) throw new InvalidValueError(`Cannot sort by "${sortBy}": no such attribute.`);
  const leaf = resolved.subAttribute ?? resolved.attribute;
  if (leaf.type === 'complex' && resolved.attribute.subAttributes?.some((sub) => sub.name === 'value') !== true) {
    throw new InvalidValueError(`Cannot sort by "${sortBy}": name a sub-attribute.`);
  }
  return { path, descending: sortOrder === 'descending' };
}

/**
 * The `cursor` parameter (RFC 9865): empty on the first page, else a `nextCursor` or
 * `previousCursor` as Roster issued it. It goes to the store untouched: the store's cursor
 * (store/sql/query/list-cursor.ts) is the one encoding of where a page starts and which way
 * it reads, and the store refuses what it did not issue (400 invalidCursor, service/list.ts).
 * Cursors of earlier versions, which carried an `n.`/`p.` prefix, are refused in the same
 * way, with the same invalidCursor error as any other: RFC 9865 has the client start the
 * listing over, and cursors live only as long as one paging pass.
 */
function readCursor(raw: unknown): { position: string | null } | undefined {
  if (raw === undefined) return undefined;
  const text = stringParam(raw) ?? '';
  return { position: text === '' ? null : text };
}

/**
 * Reads filter, sortBy/sortOrder, startIndex/count and cursor from a query string or a
 * /.search body (RFC 7644 §3.4.2, §3.4.3; RFC 9865). Index mode: startIndex below 1 counts
 * as 1, a negative count as 0, and count is capped at the maximum. Cursor mode (a `cursor`
 * parameter, empty on the first page): count outside 0..max is 400 invalidCount.
 */
export function readListRequest(
  params: Readonly<Record<string, unknown>>,
  registry: SchemaRegistry,
  resourceType: ResourceTypeDefinition,
  limits: PageLimits,
): ListRequest {
  const cursor = readCursor(params.cursor);
  const requested = integerParam('count', params.count);
  if (cursor !== undefined && requested !== undefined && (requested < 0 || requested > limits.maxPageSize)) {
    throw new InvalidCountError(`count must be between 0 and ${limits.maxPageSize} with cursor paging.`);
  }
  const count = Math.min(limits.maxPageSize, Math.max(0, requested ?? limits.defaultPageSize));
  // Past MAX_START_INDEX every list is empty anyway; beyond 2^63 the engines fail on the offset.
  const startIndex = cursor === undefined ? Math.min(MAX_START_INDEX, Math.max(1, integerParam('startIndex', params.startIndex) ?? 1)) : undefined;
  const sort = readSort(params, registry, resourceType);
  const filterText = stringParam(params.filter);
  let filter;
  if (filterText !== undefined && filterText.trim() !== '') {
    filter = parseFilterOrThrow(filterText, limits.filter);
    validateFilter(filter, registry, resourceType);
  }
  return {
    startIndex,
    params: {
      ...(filter === undefined ? {} : { filter }),
      ...(sort === undefined ? {} : { sort }),
      ...(cursor === undefined ? {} : { cursor }),
      offset: (startIndex ?? 1) - 1,
      limit: count,
    },
  };
}
