/**
 * Step-by-step setup guides per identity provider, written from the products' guides
 * (docs/requirements.md) and what each IdP sends (docs/idp-rules.md). docs/idp/<id>.md holds
 * the same guides for readers of the repository; keep the two in step.
 */

export type IdpId = 'entra' | 'okta' | 'onelogin' | 'jumpcloud' | 'google' | 'other';

/** One row of an attribute-mapping table: the IdP's attribute and the SCIM attribute it fills. */
export interface MappingRow {
  readonly idp: string;
  readonly scim: string;
  readonly note?: string;
}

export interface IdpGuide {
  readonly id: IdpId;
  readonly name: string;
  /** Where in the IdP the SCIM settings live, and what the fields are called. */
  readonly summary: string;
  /**
   * The IdP's names for the two values Roster gives. `baseUrl` takes the tenant's own base URL
   * (`/scim/v2/{tenantId}`); `tokenOnlyBaseUrl`, where the IdP suits it, names the place for the
   * base URL without the tenant id (`/scim/v2`, the token names the tenant).
   */
  readonly fields: { readonly baseUrl: string; readonly token: string; readonly tokenOnlyBaseUrl?: string };
  readonly steps: readonly string[];
  readonly userMappings: readonly MappingRow[];
  readonly groupMappings: readonly MappingRow[];
  readonly notes: readonly string[];
}

const EMAIL = 'emails[type eq "work"].value';

export const IDP_GUIDES: readonly IdpGuide[] = [
  {
    id: 'entra',
    name: 'Microsoft Entra ID',
    summary: 'Enterprise applications › your app › Provisioning. Entra calls the base URL "Tenant URL" and the token "Secret Token".',
    fields: { baseUrl: 'Tenant URL', token: 'Secret Token' },
    steps: [
      'In the Azure portal, open Microsoft Entra ID › Enterprise applications and select the application you use for SSO (or create a non-gallery application).',
      'Open Provisioning › New configuration (or Get started) and set Provisioning Mode to Automatic.',
      'Under Admin Credentials, paste the SCIM base URL as the Tenant URL and the token as the Secret Token (without the word "Bearer").',
      'Click Test Connection. Entra looks up a random user and expects an empty result; Roster answers 200.',
      'Click Create (or Save), then open Mappings › Provision Microsoft Entra ID Users and check the attribute mappings below.',
      'If you use groups for the admin role or access groups, keep Provision Microsoft Entra ID Groups on, with displayName and objectId mapped as below.',
      'Under Users and groups, assign the users and groups to provision.',
      'Back on Overview, click Start provisioning. Entra runs a first cycle, then one about every 40 minutes.',
    ],
    userMappings: [
      { idp: 'userPrincipalName (or mail)', scim: 'userName' },
      { idp: 'givenName', scim: 'name.givenName' },
      { idp: 'surname', scim: 'name.familyName' },
      { idp: 'mail', scim: EMAIL },
      { idp: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")', scim: 'active' },
      { idp: 'objectId', scim: 'externalId' },
      { idp: 'jobTitle', scim: 'title' },
      { idp: 'mobile', scim: 'phoneNumbers[type eq "mobile"].value' },
      { idp: 'telephoneNumber', scim: 'phoneNumbers[type eq "work"].value' },
      { idp: 'streetAddress', scim: 'addresses[type eq "work"].streetAddress' },
      { idp: 'city', scim: 'addresses[type eq "work"].locality' },
      { idp: 'state', scim: 'addresses[type eq "work"].region' },
      { idp: 'postalCode', scim: 'addresses[type eq "work"].postalCode' },
      { idp: 'country', scim: 'addresses[type eq "work"].country' },
      { idp: 'department', scim: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department' },
      { idp: 'manager', scim: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager' },
    ],
    groupMappings: [
      { idp: 'displayName', scim: 'displayName' },
      { idp: 'objectId', scim: 'externalId' },
    ],
    notes: [
      'Entra deactivates a user with a PATCH of active = false; the member is archived and keeps its data. A hard delete in Entra (30 days later) sends DELETE.',
      'A value with special characters cannot be used in Entra\'s matching filter; keep userName plain.',
    ],
  },
  {
    id: 'okta',
    name: 'Okta',
    summary: 'Applications › your app › Provisioning › Integration. Okta calls the base URL "SCIM connector base URL".',
    fields: { baseUrl: 'SCIM connector base URL', token: 'API Token (HTTP Header)' },
    steps: [
      'In the Okta admin console, open Applications › Applications and select your app (a SAML or OIDC app with SCIM provisioning enabled on its General tab).',
      'Open the Provisioning tab › Integration › Configure API Integration, and check Enable API Integration.',
      'Set the SCIM connector base URL to the SCIM base URL, the unique identifier field to userName (Okta fills it with the Okta username, usually the email address; Roster matches it ignoring case), and the authentication mode to HTTP Header with the token.',
      'Check the provisioning actions you want: Import New Users and Profile Updates, Push New Users, Push Profile Updates, and Push Groups if you send groups.',
      'Click Test Connector Configuration (or Test API Credentials), then Save.',
      'Under Provisioning › To App, enable Create Users, Update User Attributes and Deactivate Users, and save.',
      'Check the attribute mappings below in the app\'s Profile Editor (Directory › Profile Editor).',
      'Assign users and groups on the Assignments tab. To send groups, add them under Push Groups.',
    ],
    userMappings: [
      { idp: 'userName', scim: 'userName' },
      { idp: 'firstName', scim: 'name.givenName' },
      { idp: 'lastName', scim: 'name.familyName' },
      { idp: 'email', scim: EMAIL },
      { idp: 'mobilePhone', scim: 'phoneNumbers[type eq "mobile"].value' },
      { idp: 'title', scim: 'title' },
      { idp: 'streetAddress', scim: 'addresses[type eq "work"].streetAddress' },
      { idp: 'city', scim: 'addresses[type eq "work"].locality' },
      { idp: 'state', scim: 'addresses[type eq "work"].region' },
      { idp: 'zipCode', scim: 'addresses[type eq "work"].postalCode' },
      { idp: 'countryCode', scim: 'addresses[type eq "work"].country' },
      { idp: 'locale', scim: 'locale' },
      { idp: '(status)', scim: 'active' },
    ],
    groupMappings: [{ idp: 'Push Groups › group name', scim: 'displayName' }],
    notes: [
      'Okta never deletes users: unassigning a user sends active = false, and the member is archived.',
      'Custom attributes need an external namespace such as urn:ietf:params:scim:schemas:extension:<name>:2.0:User, declared in Settings › Extension schemas.',
      'Okta sends a placeholder password with every new user; Roster discards it.',
    ],
  },
  {
    id: 'onelogin',
    name: 'OneLogin',
    summary: 'Applications › "SCIM Provisioner with SAML (SCIM v2 Enterprise)" › Configuration.',
    fields: { baseUrl: 'SCIM Base URL', token: 'SCIM Bearer Token' },
    steps: [
      'In OneLogin, open Applications › Add App and choose "SCIM Provisioner with SAML (SCIM v2 Enterprise)". Give it a name and an icon.',
      'On the Configuration tab, paste the SCIM base URL as the SCIM Base URL and the token as the SCIM Bearer Token. Keep the default SCIM JSON Template unless your product needs more.',
      'Under API Connection, click Enable: OneLogin connects to Roster to check the settings.',
      'On the Provisioning tab, check Enable provisioning and choose what happens when a user is deleted or suspended (Delete or Suspend).',
      'To send groups (for the admin group or access groups), use OneLogin Roles: on the Rules tab add a rule with the action "Set Groups in <app>" for each role.',
      'On the Parameters tab, edit Groups and check "Include in User Provisioning"; save.',
      'On the Access tab, give access to the roles; assign those roles to the users who need the app.',
      'Users show as Provisioned on the Users tab; Pending means an approval is needed first.',
    ],
    userMappings: [
      { idp: 'Username ({$parameters.scimusername})', scim: 'userName' },
      { idp: 'First Name ({$user.firstname})', scim: 'name.givenName' },
      { idp: 'Last Name ({$user.lastname})', scim: 'name.familyName' },
      { idp: 'Email ({$user.email})', scim: EMAIL },
      { idp: 'Title', scim: 'title' },
      { idp: 'Department', scim: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department' },
      { idp: 'Manager ({$parameters.external_manager_id})', scim: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager' },
    ],
    groupMappings: [{ idp: 'Groups parameter (from Roles)', scim: 'displayName' }],
    notes: [
      'OneLogin builds each request from the SCIM JSON Template; values such as "active" may arrive as text, which Roster accepts.',
      'A user belongs to at most one access group: when a user is in two selected groups, the one listed first on the Groups page wins.',
    ],
  },
  {
    id: 'jumpcloud',
    name: 'JumpCloud',
    summary: 'SSO Applications › your app › Identity Management.',
    fields: { baseUrl: 'Base URL', token: 'Token Key' },
    steps: [
      'In the JumpCloud admin portal, open SSO Applications and select your SAML application (or add one).',
      'Open the Identity Management tab and choose SCIM 2.0 as the API type.',
      'Paste the SCIM base URL as the Base URL and the token as the Token Key; enter a test user email.',
      'Click Test Connection: JumpCloud creates a test user and a test group and deletes them again.',
      'To manage groups, check "Enable management of User Groups and Group Membership in this application".',
      'Click Activate, then Save.',
      'Bind user groups to the application on its User Groups tab; only bound, activated users are provisioned.',
    ],
    userMappings: [
      { idp: 'username', scim: 'userName' },
      { idp: 'firstname', scim: 'name.givenName' },
      { idp: 'lastname', scim: 'name.familyName' },
      { idp: 'email', scim: EMAIL },
      { idp: 'mobile', scim: 'phoneNumbers[type eq "mobile"].value' },
      { idp: 'phone', scim: 'phoneNumbers[type eq "work"].value' },
      { idp: 'jobTitle', scim: 'title' },
      { idp: 'address.streetAddress', scim: 'addresses[type eq "work"].streetAddress' },
      { idp: 'address.locality', scim: 'addresses[type eq "work"].locality' },
      { idp: 'address.region', scim: 'addresses[type eq "work"].region' },
      { idp: 'address.postalCode', scim: 'addresses[type eq "work"].postalCode' },
      { idp: 'address.country', scim: 'addresses[type eq "work"].country' },
      { idp: 'activated', scim: 'active' },
    ],
    groupMappings: [{ idp: 'name', scim: 'displayName' }],
    notes: [
      'JumpCloud does not create empty groups, and takes over an existing group with the same name.',
      'Suspending or unbinding a user deactivates it: the member is archived.',
    ],
  },
  {
    id: 'google',
    name: 'Google Workspace',
    summary: 'Admin console › Apps › Web and mobile apps › your app › Auto-provisioning (catalog apps only).',
    fields: { baseUrl: 'Endpoint URL', token: 'Access token' },
    steps: [
      'Google Workspace provisions users automatically only for apps in its catalog, and only once SAML SSO is set up for the app.',
      'In the Google Admin console, open Apps › Web and mobile apps and select the app.',
      'Open Auto-provisioning and follow Google\'s prompts; where Google asks for an endpoint and a token, use the SCIM base URL and the token.',
      'Choose the attribute mappings below and the provisioning scope (all users or some groups), then turn auto-provisioning on.',
      'Google syncs every few hours; active, suspended and deleted users are provisioned, archived ones are not.',
      'If your app is not in Google\'s catalog, Google offers no custom SCIM connection: use another IdP in front of Google, or your product\'s own user management.',
    ],
    userMappings: [
      { idp: 'Primary email', scim: 'userName' },
      { idp: 'First name', scim: 'name.givenName' },
      { idp: 'Last name', scim: 'name.familyName' },
      { idp: 'Primary email', scim: EMAIL },
      { idp: 'Suspended (inverted)', scim: 'active' },
    ],
    groupMappings: [],
    notes: ['Google\'s generic SCIM behaviour is not documented publicly; the steps follow Google\'s auto-provisioning help for catalog apps.'],
  },
  {
    id: 'other',
    name: 'Other SCIM 2.0 provider',
    summary: 'Any SCIM 2.0 client: the base URL and a bearer token are all it needs.',
    fields: { baseUrl: 'SCIM base URL', token: 'Bearer token', tokenOnlyBaseUrl: 'SCIM base URL, where the client or your product\'s guide gives /scim/v2 alone' },
    steps: [
      'In your identity provider, add a custom SCIM 2.0 application (or provisioning connector).',
      'Enter the SCIM base URL, and choose bearer-token authentication (HTTP header Authorization: Bearer <token>) with the token.',
      'Where the client has a fixed base URL, or your product\'s guide gives one ending in /scim/v2, use the token-only base URL instead (without the account id): the token tells Roster which account the requests are for.',
      'Map the user attributes as below; userName is required and must be unique.',
      'Test the connection, assign users (and groups, if you use groups for roles or access groups) and start provisioning.',
      'Roster supports /Users and /Groups (GET, POST, PUT, PATCH, DELETE), filters, sorting, paging, /Bulk, and the discovery endpoints.',
    ],
    userMappings: [
      { idp: 'Username (often the email address)', scim: 'userName' },
      { idp: 'First name', scim: 'name.givenName' },
      { idp: 'Last name', scim: 'name.familyName' },
      { idp: 'Work email', scim: EMAIL },
      { idp: 'Mobile number', scim: 'phoneNumbers[type eq "mobile"].value' },
      { idp: 'Work number', scim: 'phoneNumbers[type eq "work"].value' },
      { idp: 'Job title', scim: 'title' },
      { idp: 'Your IdP\'s unique id', scim: 'externalId' },
      { idp: 'Enabled / status', scim: 'active' },
    ],
    groupMappings: [
      { idp: 'Group name', scim: 'displayName' },
      { idp: 'Group id', scim: 'externalId' },
    ],
    notes: ['Unknown attributes are ignored unless the tenant turns on strict attributes (Settings).'],
  },
];

/**
 * The identity provider a request's User-Agent names, when it names one (Entra sends "Azure AD
 * SCIM Client", Okta "Okta SCIM Client", OneLogin and JumpCloud their names); undefined otherwise.
 */
export function idpOfUserAgent(userAgent: string | null): IdpId | undefined {
  if (userAgent === null) return undefined;
  const agent = userAgent.toLowerCase();
  if (agent.includes('azure ad') || agent.includes('entra')) return 'entra';
  if (agent.includes('okta')) return 'okta';
  if (agent.includes('onelogin')) return 'onelogin';
  if (agent.includes('jumpcloud')) return 'jumpcloud';
  if (agent.includes('google')) return 'google';
  return undefined;
}
