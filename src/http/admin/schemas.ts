import { Type, type Static } from 'typebox';
import { Settings, SettingsPatch } from '../../policy/settings-schema.js';
import { MAX_OVERLAP_HOURS } from '../../service/tokens.js';
import { NewMember } from './member-schemas.js';

/** JSON Schemas of the management API: they validate requests and generate the OpenAPI document. */
export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.String({ description: 'Stable code, see docs/api-errors.md' }), message: Type.String() }) },
  { $id: 'Error' },
);

export const Tenant = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  externalId: Type.Union([Type.String(), Type.Null()], { description: 'The product\'s own id for the tenant (its organisation id); unique.' }),
  scimBaseUrl: Type.String({ description: 'The base URL to give the identity provider.' }),
  settings: { ...Settings, $id: 'TenantSettings' },
}, { $id: 'Tenant' });

export const TenantList = Type.Object({ tenants: Type.Array(Tenant) }, { $id: 'TenantList' });

const ExternalId = Type.String({ minLength: 1, maxLength: 200, description: 'The product\'s own id for the tenant (its organisation id); unique among tenants.' });

export const NewTenant = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    externalId: Type.Optional(ExternalId),
    scimEnabled: Type.Optional(Type.Boolean({ description: 'The initial SCIM state (the scimEnabled setting); default true.' })),
    creator: Type.Optional(Type.Omit(NewMember, ['creator'], { description: 'The member who creates the account: admin, promoted again if SCIM leaves no admin.', additionalProperties: false })),
  },
  { $id: 'NewTenant', additionalProperties: false },
);

export const TenantUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    externalId: Type.Optional(Type.Union([ExternalId, Type.Null()], { description: 'Sets the externalId; null clears it.' })),
    settings: Type.Optional(SettingsPatch),
  },
  { $id: 'TenantUpdate', additionalProperties: false },
);

export const Token = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
}, { $id: 'Token' });

export const TokenList = Type.Object({ tokens: Type.Array(Token) }, { $id: 'TokenList' });

export const NewToken = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { $id: 'NewToken', additionalProperties: false },
);

export const IssuedToken = Type.Intersect([Token, Type.Object({ token: Type.String({ description: 'The secret; shown once, never again.' }) })], { $id: 'IssuedToken' });

export const TokenRotation = Type.Object(
  {
    overlapHours: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_OVERLAP_HOURS, description: 'Hours the old token keeps working; without it, until the old token is revoked.' }),
    ),
  },
  { additionalProperties: false, $id: 'TokenRotation' },
);

export const RotatedToken = Type.Intersect(
  [IssuedToken, Type.Object({ previous: Type.Intersect([Token], { description: 'The replaced token as it now stands: still working, until revoked or its expiresAt.' }) })],
  { $id: 'RotatedToken' },
);

export const TenantParams = Type.Object({ tenantId: Type.String() });
export const TokenParams = Type.Object({ tenantId: Type.String(), tokenId: Type.String() });

export type TenantJson = Static<typeof Tenant>;

export const TenantListQuery = Type.Object(
  { externalId: Type.Optional(Type.String({ maxLength: 200, description: 'Only the tenant with this externalId (none or one).' })) },
  { additionalProperties: false },
);
