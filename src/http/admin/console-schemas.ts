import { Type, type Static } from 'typebox';

/** JSON Schemas of the console sign-in and setup link routes (validation and OpenAPI). */
export const ConsoleSession = Type.Object({
  kind: Type.Union([Type.Literal('operator'), Type.Literal('tenant')], { description: '`operator` sees every tenant; `tenant` (a setup link) one tenant only.' }),
  tenantId: Type.Union([Type.String(), Type.Null()], { description: 'The one tenant a setup link session may see; null for an operator.' }),
  expiresAt: Type.String({ format: 'date-time' }),
  csrfToken: Type.String({ description: 'Send it as the X-CSRF-Token header with every state change.' }),
}, { $id: 'ConsoleSession' });

export const SignIn = Type.Union(
  [
    Type.Object({ operatorKey: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
    Type.Object({ setupToken: Type.String({ minLength: 1, maxLength: 200, description: 'The secret after `#token=` in a setup link.' }) }, { additionalProperties: false }),
  ],
  { $id: 'SignIn', description: 'An operator key, or the secret of a setup link.' },
);

export const SetupLink = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.String(),
  note: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
}, { $id: 'SetupLink' });

export const SetupLinkList = Type.Object({ setupLinks: Type.Array(SetupLink) }, { $id: 'SetupLinkList' });

export const NewSetupLink = Type.Object(
  {
    expiresInSeconds: Type.Optional(Type.Integer({ minimum: 60, description: 'Lifetime; default 72 hours, at most 30 days.' })),
    note: Type.Optional(Type.String({ maxLength: 200, description: 'Who the link is for.' })),
  },
  { $id: 'NewSetupLink', additionalProperties: false },
);

export const IssuedSetupLink = Type.Intersect([
  SetupLink,
  Type.Object({ url: Type.String({ description: 'The link to hand over; it holds the secret, shown in this response only.' }) }),
], { $id: 'IssuedSetupLink' });

export const SetupLinkParams = Type.Object({ tenantId: Type.String(), linkId: Type.String() });

export type ConsoleSessionJson = Static<typeof ConsoleSession>;
