import { Type } from 'typebox';

/** JSON Schemas of the provisioning-policy routes (members, groups, SSO). */

const Status = Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('archived')]);
const SignInMethod = Type.Union([Type.Literal('saml'), Type.Literal('oidc'), Type.Literal('password')]);
const Role = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

export const Member = Type.Object({
  userId: Type.String({ description: 'The SCIM user id for provisioned members.' }),
  userName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  role: Type.String({ description: 'admin, member, or a role of the product\'s own: the first of roles.' }),
  roles: Type.Array(Type.String(), { description: 'Every role the member holds (those its direct groups give and the one set by hand), ranked: admin, then the tenant\'s roleOrder, then alphabetically; ["member"] when none other.' }),
  roleManagedByScim: Type.Boolean({ description: 'The role comes from an IdP group; it cannot be changed by hand.' }),
  accessGroupId: Type.Union([Type.String(), Type.Null()]),
  signInMethod: SignInMethod,
  confirmed: Type.Boolean(),
  managedByScim: Type.Boolean({ description: 'Provisioned by SCIM.' }),
  formerlyManagedByScim: Type.Boolean({ description: 'Provisioned by SCIM until the tenant deleted its SCIM setup (managedByScim is false since).' }),
  creator: Type.Boolean({ description: 'Created the tenant\'s account.' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
}, { $id: 'Member' });

export const Seats = Type.Object({
  limit: Type.Union([Type.Integer(), Type.Null()]),
  used: Type.Integer(),
  policy: Type.Union([Type.Literal('reject'), Type.Literal('createInactive')]),
}, { $id: 'Seats' });

export const NewMember = Type.Object(
  {
    userName: Type.String({ minLength: 1, maxLength: 300 }),
    // Null first: Fastify's Ajv coerces types, and would turn null into '' for a string branch tried first.
    email: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 300 })])),
    displayName: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 300 })])),
    role: Type.Optional(Role),
    signInMethod: Type.Optional(SignInMethod),
    creator: Type.Optional(Type.Boolean({ description: 'The member who created the tenant\'s account (at most one).' })),
  },
  { $id: 'NewMember', additionalProperties: false },
);

export const MemberUpdate = Type.Object({ role: Type.Optional(Role), status: Type.Optional(Status) }, { $id: 'MemberUpdate', additionalProperties: false });

export const MemberParams = Type.Object({ tenantId: Type.String(), userId: Type.String() });

export const GroupMapping = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  externalId: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Type.String(), Type.Null()], { description: 'The role members get: admin for the admin group, else its role mapping.' }),
  adminGroup: Type.Boolean(),
  accessGroupPriority: Type.Union([Type.Integer(), Type.Null()], { description: 'Position in accessGroupIds (0 first); null when not an access group.' }),
}, { $id: 'GroupMapping' });

export const LoginCheck = Type.Object(
  {
    identifier: Type.String({ minLength: 1, maxLength: 300, description: 'The userName or email the SSO assertion names.' }),
    method: Type.Union([Type.Literal('saml'), Type.Literal('oidc')]),
  },
  { $id: 'LoginCheck', additionalProperties: false },
);

export const LoginDecision = Type.Object({
  allowed: Type.Boolean(),
  action: Type.Union([Type.Literal('signIn'), Type.Literal('create'), Type.Literal('refuse')]),
  reason: Type.Optional(Type.Union([Type.Literal('SCIM_PROVISIONING_REQUIRED'), Type.Literal('MEMBER_NOT_ACTIVE'), Type.Literal('SSO_METHOD_NOT_ALLOWED')])),
  message: Type.Optional(Type.String()),
  member: Type.Optional(Member),
}, { $id: 'LoginDecision' });
