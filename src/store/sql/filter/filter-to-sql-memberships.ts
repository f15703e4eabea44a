import { sql, type RawBuilder } from 'kysely';
import type { AttributeDefinition } from '../../../schema/types.js';
import type { Collection, CompileContext, ElementScope, SqlValue } from './filter-to-sql-context.js';
import { constantValue, expressionValue, firstOf } from './filter-to-sql-values.js';
import { toSql } from '../query/condition.js';

/**
 * The attributes Roster computes from group_members rather than stores in the document: a
 * user's `groups` (value, display, type "direct", $ref) and a group's `members` (value, type,
 * display, $ref), with the values the read paths render (UserStore.groupsOf, GroupStore.memberships).
 *
 * A filter becomes `<row>.id in (select … from group_members …)`: uncorrelated, so the planner
 * starts from the membership index (members.value eq → the member index; groups.value eq →
 * the primary key) and then fetches the few matching rows by primary key.
 *
 * `value` compares as a folded column: the schema makes it case-insensitive, and ids are
 * Roster's lowercase UUIDs, whose folded form is themselves, so the index still applies.
 */

/** One membership row (alias `membership`) and the joins its sub-attributes need. */
interface MembershipScope {
  readonly membership: string;
  readonly scope: ElementScope;
  /** The joins the sub-attributes read so far (and `order`, once called) need. */
  readonly joins: () => RawBuilder<unknown>;
  /** The order in which the rendered resource lists the values, for "first value" sorting. */
  readonly order: () => readonly RawBuilder<unknown>[];
}

interface MembershipShape {
  /** The group_members column that points at the row being filtered. */
  readonly owner: 'member_id' | 'group_id';
  scope(membership: string): MembershipScope;
}

function membershipCollection(context: CompileContext, attribute: AttributeDefinition, shape: MembershipShape): Collection {
  const table = context.row;
  return {
    attribute,
    some(test) {
      const { membership: m, scope, joins } = shape.scope(context.alias('m'));
      const condition = test(scope);
      if (condition === false) return false;
      return sql`(${sql.ref(`${table}.id`)} in (select ${sql.ref(`${m}.${shape.owner}`)} from group_members as ${sql.id(m)} ${joins()} where ${sql.ref(`${m}.tenant_id`)} = ${context.tenantId} and ${toSql(condition)}))`;
    },
    first(key) {
      const { membership: m, scope, joins, order } = shape.scope(context.alias('m'));
      const inner = key(scope);
      if (inner === undefined) return undefined;
      const ordering = order();
      const source = sql`from group_members as ${sql.id(m)} ${joins()} where ${sql.ref(`${m}.tenant_id`)} = ${sql.ref(`${table}.tenant_id`)} and ${sql.ref(`${m}.${shape.owner}`)} = ${sql.ref(`${table}.id`)}`;
      return firstOf(source, inner, ordering);
    },
  };
}

function opaque(name: string, order: RawBuilder<unknown>): SqlValue {
  return { kind: 'opaque', name, order };
}

/** A user's `groups`: one element per group the user is a direct member of. */
export function userGroups(context: CompileContext, attribute: AttributeDefinition): Collection {
  return membershipCollection(context, attribute, {
    owner: 'member_id',
    scope(m) {
      const g = context.alias('g');
      let withGroup = false;
      const groupColumn = (column: string): RawBuilder<unknown> => {
        withGroup = true;
        return sql.ref(`${g}.${column}`);
      };
      return {
        membership: m,
        scope: {
          value(sub): SqlValue {
            switch (sub.name.toLowerCase()) {
              case 'value':
                return expressionValue(sql.ref(`${m}.group_id`), { folded: true, nonEmpty: true });
              case 'display':
                return expressionValue(groupColumn('display_name_key'), { folded: true });
              case 'type':
                return constantValue('direct');
              case '$ref':
                // Every $ref is <base>/Groups/<value>: under one base URL they order as values do.
                return opaque('groups.$ref', sql.ref(`${m}.group_id`));
              default:
                return constantValue(null);
            }
          },
        },
        joins: () =>
          withGroup
            ? sql`join groups as ${sql.id(g)} on ${sql.ref(`${g}.tenant_id`)} = ${sql.ref(`${m}.tenant_id`)} and ${sql.ref(`${g}.id`)} = ${sql.ref(`${m}.group_id`)}`
            : sql``,
        // groupsOf lists a user's groups by folded display name, then id.
        order: () => [groupColumn('display_name_key'), groupColumn('id')],
      };
    },
  });
}

/** A group's `members`: one element per member, user or group. */
export function groupMemberships(context: CompileContext, attribute: AttributeDefinition): Collection {
  return membershipCollection(context, attribute, {
    owner: 'group_id',
    scope(m) {
      const u = context.alias('u');
      const g = context.alias('g');
      let joinLinkedRows = false;
      const useLinkedRows = (): void => {
        joinLinkedRows = true;
      };
      return {
        membership: m,
        scope: {
          value(sub): SqlValue {
            switch (sub.name.toLowerCase()) {
              case 'value':
                return expressionValue(sql.ref(`${m}.member_id`), { folded: true, nonEmpty: true });
              case 'type':
                return expressionValue(sql.ref(`${m}.member_type`), { nonEmpty: true });
              case 'display':
                useLinkedRows();
                // GroupStore.memberships: the user's displayName when it has one, else its
                // userName; a group's displayName.
                return expressionValue(
                  sql`coalesce(${context.adapter.jsonScalar(sql.ref(`${u}.data`), ['displayName'], 'text')}, ${sql.ref(`${u}.user_name`)}, ${sql.ref(`${g}.display_name`)})`,
                );
              case '$ref':
                // <base>/Groups/<id> sorts before <base>/Users/<id>.
                return opaque('members.$ref', sql`(case when ${sql.ref(`${m}.member_type`)} = 'Group' then 'G' else 'U' end || ${sql.ref(`${m}.member_id`)})`);
              default:
                return constantValue(null);
            }
          },
        },
        joins: () =>
          joinLinkedRows
            ? sql`left join users as ${sql.id(u)} on ${sql.ref(`${u}.tenant_id`)} = ${sql.ref(`${m}.tenant_id`)} and ${sql.ref(`${u}.id`)} = ${sql.ref(`${m}.member_id`)} left join groups as ${sql.id(g)} on ${sql.ref(`${g}.tenant_id`)} = ${sql.ref(`${m}.tenant_id`)} and ${sql.ref(`${g}.id`)} = ${sql.ref(`${m}.member_id`)}`
            : sql``,
        // GroupStore.memberships lists members by id.
        order: () => [sql.ref(`${m}.member_id`)],
      };
    },
  });
}
