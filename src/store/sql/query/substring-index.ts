import type { AttributeDefinition } from '../../../schema/types.js';
import type { FilterAttribute } from '../../../scim/filter/resolve.js';
import { isJsonObject, type JsonObject } from '../../../scim/json.js';
import type { CompileContext } from '../filter/filter-to-sql-context.js';
import { foldCase } from '../fold.js';
import type { Condition } from './condition.js';

/**
 * The substring index (migration 024): `co`, `sw` and `ew` on the attributes IdPs search
 * (userName, displayName, name.*, emails.value, externalId) narrow the rows through a
 * trigram index (PostgreSQL pg_trgm, SQLite FTS5) before the exact test, which stays in the
 * condition and decides (with Roster's own folding). A needle shorter than a trigram gets
 * no prefilter: such a filter reads the tenant's rows, within the cost budget and deadline.
 */

/** The name.* parts kept, with displayName, in `users.name_key`. */
const NAME_PARTS = ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'];

/** `users.name_key`: displayName and name.* folded, one per line; null when the user has none. */
export function nameKey(data: JsonObject): string | null {
  const name = isJsonObject(data.name) ? data.name : {};
  const values = [data.displayName, ...NAME_PARTS.map((part) => name[part])].filter((value): value is string => typeof value === 'string' && value !== '');
  return values.length === 0 ? null : values.map(foldCase).join('\n');
}

/** Where an attribute's values are indexed for substrings. */
export interface SubstringField {
  /** The table holding the indexed column: the resource table, or `user_emails`. */
  readonly table: 'users' | 'groups' | 'user_emails';
  readonly column: string;
  /** The column holds folded text (for case-insensitive attributes) rather than the value as it is. */
  readonly folded: boolean;
  /** The column holds exactly the one value (so `sw`/`ew` may anchor), not several lines. */
  readonly whole: boolean;
}

export type SubstringOperator = 'co' | 'sw' | 'ew';

const USER_FIELDS: ReadonlyMap<string, SubstringField> = new Map([
  ['username', { table: 'users', column: 'user_name_key', folded: true, whole: true }],
  ['externalid', { table: 'users', column: 'external_id', folded: false, whole: true }],
  ['emails.value', { table: 'user_emails', column: 'value_key', folded: true, whole: true }],
  ...['displayname', ...NAME_PARTS.map((part) => `name.${part.toLowerCase()}`)].map((path): [string, SubstringField] => [path, { table: 'users', column: 'name_key', folded: true, whole: false }]),
]);

const GROUP_FIELDS: ReadonlyMap<string, SubstringField> = new Map([
  ['displayname', { table: 'groups', column: 'display_name_key', folded: true, whole: true }],
  ['externalid', { table: 'groups', column: 'external_id', folded: false, whole: true }],
]);

/** The index field and the needle as the index holds it, when a substring test on `target` can use the index. */
function lookup(context: CompileContext, target: FilterAttribute, op: string, literal: unknown): { field: SubstringField; needle: string; op: SubstringOperator } | undefined {
  if (op !== 'co' && op !== 'sw' && op !== 'ew') return undefined;
  if (typeof literal !== 'string' || target.container !== undefined) return undefined;
  const fields = context.table.name === 'users' ? USER_FIELDS : GROUP_FIELDS;
  const path = target.subAttribute === undefined ? target.attribute.name : `${target.attribute.name}.${target.subAttribute.name}`;
  const field = fields.get(path.toLowerCase());
  const definition: AttributeDefinition = target.subAttribute ?? target.attribute;
  if (field === undefined || definition.type !== 'string' || field.folded === definition.caseExact) return undefined;
  const needle = field.folded ? foldCase(literal) : literal;
  // A trigram index finds nothing shorter than a trigram (code points, as both engines count).
  if ([...needle].length < 3) return undefined;
  return { field, needle, op };
}

/** Whether `target op literal` gets an index prefilter (the list is then driven by it). */
export function hasSubstringIndex(context: CompileContext, target: FilterAttribute, op: string, literal: unknown): boolean {
  return lookup(context, target, op, literal) !== undefined;
}

/**
 * A necessary condition for a row to satisfy `target op literal`, served by the index; true
 * (no narrowing) when the index cannot serve it.
 */
export function substringPrefilter(context: CompileContext, target: FilterAttribute, op: string, literal: unknown): Condition {
  const found = lookup(context, target, op, literal);
  if (found === undefined) return true;
  const { field, needle } = found;
  // sw/ew anchor only on a column that holds the value alone.
  const anchor = field.whole ? found.op : 'co';
  const own = field.table !== 'user_emails';
  const source = { table: field.table, column: field.column, key: own ? 'id' : 'user_id', own };
  return context.adapter.substringCandidates(source, context.row, context.tenantId, needle, anchor);
}
