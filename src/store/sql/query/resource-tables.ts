import { groupResourceType, userResourceType } from '../../../schema/registry.js';
import type { ResourceTable } from '../filter/filter-to-sql-context.js';
import { groupMemberships, userGroups } from '../filter/filter-to-sql-memberships.js';
import { emailLookup } from './email-index.js';

/**
 * The resource tables as the filter compiler and the list queries see them. Attributes kept
 * in columns are read there (indexed); the rest from the JSON document. Columns mirror the
 * document: the services write both from the same coerced resource.
 */
export const usersTable: ResourceTable = {
  name: 'users',
  resourceType: userResourceType,
  columns: new Map([
    ['id', { column: 'id', nonEmpty: true, indexed: true, unique: true }],
    ['externalid', { column: 'external_id', indexed: true }],
    // userName is required, so never '' (read-input rejects it).
    ['username', { column: 'user_name_key', folded: true, nonEmpty: true, indexed: true, unique: true }],
    // A boolean column is never '' and the services always set it.
    ['active', { column: 'active', nonEmpty: true }],
  ]),
  membershipAttribute: 'groups',
  membership: userGroups,
  archivable: true,
  emailLookup,
};

export const groupsTable: ResourceTable = {
  name: 'groups',
  resourceType: groupResourceType,
  columns: new Map([
    ['id', { column: 'id', nonEmpty: true, indexed: true, unique: true }],
    ['externalid', { column: 'external_id', indexed: true }],
    ['displayname', { column: 'display_name_key', folded: true, nonEmpty: true, indexed: true }],
  ]),
  membershipAttribute: 'members',
  membership: groupMemberships,
  archivable: false,
};
