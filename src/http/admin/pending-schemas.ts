import { Type } from 'typebox';

/** JSON Schemas of the pending-changes routes (automatic sync off, seed 003). */

export const PendingChange = Type.Object({
  seq: Type.Integer(),
  userId: Type.String(),
  kind: Type.String({ description: 'created, restored, updated, archived, reactivated, deleted, groups or mappings.' }),
  detail: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'PendingChange' });

export const PendingQuery = Type.Object(
  { after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) },
  { additionalProperties: false },
);

export const PendingChangeList = Type.Object({ changes: Type.Array(PendingChange), total: Type.Integer() }, { $id: 'PendingChangeList' });

export const PreviewQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false });

const FieldChange = Type.Object({
  field: Type.Union([Type.Literal('status'), Type.Literal('role'), Type.Literal('accessGroup'), Type.Literal('userName'), Type.Literal('email'), Type.Literal('displayName')]),
  from: Type.Union([Type.String(), Type.Null()], { description: 'Before sync; null when the member does not exist yet or the value is empty. Access groups by display name.' }),
  to: Type.Union([Type.String(), Type.Null()], { description: 'After sync; null when sync removes the member or empties the value.' }),
}, { $id: 'PendingFieldChange' });

const GroupChange = Type.Object({
  groupId: Type.String(),
  displayName: Type.String(),
  change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('deleted')], { description: 'The IdP added the user to the group, removed it, or deleted the group (last change per group).' }),
}, { $id: 'PendingGroupChange' });

const PendingMemberChange = Type.Object({
  userId: Type.String(),
  userName: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('added'), Type.Literal('updated'), Type.Literal('removed'), Type.Literal('unchanged')], { description: 'added: sync creates the member; removed: sync deletes it; unchanged: the queued changes leave it as it is.' }),
  fields: Type.Array(FieldChange),
  groups: Type.Array(GroupChange),
  queued: Type.Integer({ description: 'How many queued changes this entry stands for.' }),
  firstSeq: Type.Integer(),
  lastSeq: Type.Integer(),
}, { $id: 'PendingMemberChange' });

export const PendingPreview = Type.Object({
  upTo: Type.Integer({ description: 'The last queued change covered: pass it to sync to apply exactly what this preview shows.' }),
  total: Type.Integer({ description: 'Queued changes up to upTo.' }),
  members: Type.Integer({ description: 'Members those changes concern: the count sync reports as members.' }),
  entries: Type.Array(PendingMemberChange, { description: 'The first `limit` members, in the order sync applies them.' }),
}, { $id: 'PendingPreview' });

export const SyncQuery = Type.Object(
  { upTo: Type.Optional(Type.Integer({ minimum: 0, description: 'Apply only the changes up to this one (a preview\'s upTo); default all.' })) },
  { additionalProperties: false },
);

export const SyncResult = Type.Object({
  applied: Type.Integer({ description: 'How many pending changes were applied.' }),
  members: Type.Integer({ description: 'How many members they brought up to date.' }),
  upTo: Type.Integer({ description: 'The last queued change covered.' }),
}, { $id: 'SyncResult' });

export const DiscardResult = Type.Object({ discarded: Type.Integer({ description: 'How many queued changes were dropped.' }) }, { $id: 'DiscardResult' });

export const PendingMemberParams = Type.Object({ tenantId: Type.String(), userId: Type.String() });
