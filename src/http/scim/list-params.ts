import type { SchemaRegistry } from '../../schema/registry.js';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import { InvalidValueError } from '../../scim/errors.js';
import type { FilterNode } from '../../scim/filter/ast.js';
import { parseFilterOrThrow } from '../../scim/filter/parser.js';
import { validateFilter } from '../../scim/filter/validate.js';

/** Paging limits, from configuration. */
export interface PageLimits {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
}

export interface ListRequest {
  readonly filter?: FilterNode;
  /** 1-based, as RFC 7644 §3.4.2.4 counts. */
  readonly startIndex: number;
  readonly count: number;
}

function integerParam(name: string, raw: unknown): number | undefined {
  if (typeof raw === 'number') return Math.trunc(raw);
  const text = stringParam(raw);
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new InvalidValueError(`The "${name}" parameter must be an integer, got "${text}".`);
  return Number.parseInt(text, 10);
}

/** A query parameter's text: the first value when it is repeated. */
function stringParam(raw: unknown): string | undefined {
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first === 'string') return first;
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  return undefined;
}

/**
 * Reads filter/startIndex/count from a query string or a /.search body (RFC 7644 §3.4.2):
 * startIndex below 1 counts as 1, a negative count as 0, and count is capped at the maximum.
 */
export function readListRequest(
  params: Readonly<Record<string, unknown>>,
  registry: SchemaRegistry,
  resourceType: ResourceTypeDefinition,
  limits: PageLimits,
): ListRequest {
  const startIndex = Math.max(1, integerParam('startIndex', params.startIndex) ?? 1);
  const requested = integerParam('count', params.count);
  const count = Math.min(limits.maxPageSize, Math.max(0, requested ?? limits.defaultPageSize));
  const filterText = stringParam(params.filter);
  if (filterText === undefined || filterText.trim() === '') return { startIndex, count };
  const filter = parseFilterOrThrow(filterText);
  validateFilter(filter, registry, resourceType);
  return { filter, startIndex, count };
}
