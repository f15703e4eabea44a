import type { RawBuilder } from 'kysely';
import type { SchemaRegistry } from '../../../schema/registry.js';
import type { AttributeDefinition, ResourceTypeDefinition } from '../../../schema/types.js';
import type { JsonValue } from '../../../scim/json.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import type { Condition } from '../query/condition.js';

/**
 * The vocabulary of the filter compiler (filter-to-sql*.ts): where an attribute's values come
 * from in SQL, for the resource tables of query/resource-tables.ts.
 */

/**
 * One value of an attribute as SQL sees it:
 * - `expression`: a SQL expression of the row (a column, a JSON scalar, a joined column),
 *   NULL when the value is absent; `folded` when it already holds the folded form (user_name_key),
 *   `instantText` when it holds a dateTime as `Date#toISOString` text (created_at), so that
 *   text order is time order and it compares without parsing; `nonEmpty` when it is never
 *   NULL nor '' (so it is always assigned).
 * - `constant`: the same value on every row (`meta.resourceType`).
 * - `opaque`: an assigned value the store cannot compare, because it depends on the request's
 *   base URL (`meta.location`, `groups.$ref`); `order` sorts the same way the value would.
 */
export type SqlValue =
  | {
      readonly kind: 'expression';
      readonly sql: RawBuilder<unknown>;
      readonly folded: boolean;
      readonly instantText: boolean;
      readonly nonEmpty: boolean;
    }
  | { readonly kind: 'constant'; readonly value: JsonValue }
  | { readonly kind: 'opaque'; readonly name: string; readonly order: RawBuilder<unknown> };

/** A sort key: an expression of the row, NULL (when `nullable`) for a row without a value. */
export interface SortExpression {
  readonly expression: RawBuilder<unknown>;
  readonly nullable: boolean;
  /** Text keys sort by code point; numbers numerically. */
  readonly kind: 'text' | 'number';
  /** The same on every row (a constant), so useless for ordering on its own. */
  readonly constant: boolean;
}

/** The sort key of one value or element; undefined when it has none. */
export type SortKeyOf<T> = (source: T) => SortExpression | undefined;

/** The values a simple attribute path has in a row. */
export interface Values {
  /** Governs type and case rules; undefined for a path that resolves to nothing (it has no values). */
  readonly definition: AttributeDefinition | undefined;
  /** A row condition: some value satisfies `test`. */
  some(test: (value: SqlValue) => Condition): Condition;
  /** The sort key of a row: of its primary value, else of its first assigned value (RFC 7644 §3.4.2.3). */
  first(key: SortKeyOf<SqlValue>): SortExpression | undefined;
}

/** One value of a complex attribute (an email, a membership): its sub-attributes. */
export interface ElementScope {
  value(sub: AttributeDefinition): SqlValue;
}

/** The values of a complex attribute (singular or multi-valued), element by element. */
export interface Collection {
  readonly attribute: AttributeDefinition;
  /** A row condition: some element satisfies `test`. */
  some(test: (element: ElementScope) => Condition): Condition;
  /** The key of the primary element, else of the first element whose key is not NULL. */
  first(key: SortKeyOf<ElementScope>): SortExpression | undefined;
}

/** An attribute kept in its own column of the resource table. */
export interface ColumnSpec {
  readonly column: string;
  /** The column holds the folded value (compare against folded input). */
  readonly folded?: boolean;
  /** Never NULL nor '' (a required attribute). */
  readonly nonEmpty?: boolean;
  /** An index leads with (tenant_id, column), so an equality finds rows directly. */
  readonly indexed?: boolean;
  /** At most one live row of a tenant has a given value (a unique index). */
  readonly unique?: boolean;
}

/** What the compiler needs to know of a resource table. */
export interface ResourceTable {
  readonly name: 'users' | 'groups';
  /** The base resource type; a registry's own version of it (same name) takes precedence. */
  readonly resourceType: ResourceTypeDefinition;
  /** Core or common attributes kept in columns, by lower-case name (`username`, `externalid`). */
  readonly columns: ReadonlyMap<string, ColumnSpec>;
  /** The multi-valued attribute computed from group_members (`groups` of a user, `members` of a group), lower-case. */
  readonly membershipAttribute: string;
  membership(context: CompileContext, attribute: AttributeDefinition): Collection;
  /** Whether rows can be archived (deleted_at), which lists hide unless asked. */
  readonly archivable: boolean;
  /**
   * An indexed lookup that narrows `emails.value eq <literal>` to a few rows: the rows that
   * have an email whose folded value is `key`. A necessary condition only; the exact test
   * on the document still applies.
   */
  emailLookup?(context: CompileContext, key: string): Condition;
}

/** Everything a compilation needs. */
export interface CompileContext {
  readonly adapter: DialectAdapter;
  readonly registry: SchemaRegistry;
  /** The table's resource type as `registry` has it (with the tenant's extensions). */
  readonly resourceType: ResourceTypeDefinition;
  readonly tenantId: string;
  readonly table: ResourceTable;
  /** The name the row being filtered or sorted goes by in the statement: the table's, or a CTE's. */
  readonly row: string;
  /** A fresh table alias for a subquery (unique within the statement). */
  alias(prefix: string): string;
}
