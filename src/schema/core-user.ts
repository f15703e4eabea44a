import { attr, multiValuedComplex } from './attribute.js';
import type { SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** The core User schema, RFC 7643 §4.1 and §8.7.1. */
export const coreUserSchema: SchemaDefinition = {
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr.string('userName', {
      description: 'Unique identifier for the User, typically used to authenticate. Required, unique per tenant, case-insensitive.',
      required: true,
      uniqueness: 'server',
    }),
    attr.complex(
      'name',
      [
        attr.string('formatted', { description: 'The full name, formatted for display.' }),
        attr.string('familyName', { description: 'The family name of the User.' }),
        attr.string('givenName', { description: 'The given name of the User.' }),
        attr.string('middleName', { description: 'The middle name(s) of the User.' }),
        attr.string('honorificPrefix', { description: 'The honorific prefix(es) of the User.' }),
        attr.string('honorificSuffix', { description: 'The honorific suffix(es) of the User.' }),
      ],
      { description: 'The components of the user\'s real name.' },
    ),
    attr.string('displayName', { description: 'The name of the User, suitable for display to end-users.' }),
    attr.string('nickName', { description: 'The casual way to address the user.' }),
    attr.reference('profileUrl', ['external'], { description: 'A fully qualified URL pointing to the User\'s online profile.' }),
    attr.string('title', { description: 'The user\'s title, such as "Vice President".' }),
    attr.string('userType', { description: 'Relationship between the organization and the user.' }),
    attr.string('preferredLanguage', { description: 'Preferred written or spoken language, as in the Accept-Language header.' }),
    attr.string('locale', { description: 'Default location for localization, as a language tag.' }),
    attr.string('timezone', { description: 'The User\'s time zone in the IANA Time Zone database format.' }),
    attr.boolean('active', { description: 'The User\'s administrative status.' }),
    attr.string('password', {
      description: 'The User\'s cleartext password. Accepted on write, never stored or returned by Roster.',
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValuedComplex('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multiValuedComplex('phoneNumbers', 'Phone numbers for the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValuedComplex('ims', 'Instant messaging addresses for the User.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValuedComplex(
      'photos',
      'URLs of images of the User.',
      ['photo', 'thumbnail'],
      attr.reference('value', ['external'], { description: 'URL of a photo of the User.' }),
    ),
    attr.complex(
      'addresses',
      [
        attr.string('formatted', { description: 'The full mailing address, formatted for display.' }),
        attr.string('streetAddress', { description: 'The full street address component.' }),
        attr.string('locality', { description: 'The city or locality component.' }),
        attr.string('region', { description: 'The state or region component.' }),
        attr.string('postalCode', { description: 'The zip code or postal code component.' }),
        attr.string('country', { description: 'The country name component, ISO 3166-1 alpha-2.' }),
        attr.string('type', { description: 'A label indicating the attribute\'s function.', canonicalValues: ['work', 'home', 'other'] }),
        attr.boolean('primary', { description: 'Indicates the primary mailing address.' }),
      ],
      // Seed 004 maps `addresses[type=work].value`: kept as the formatted address.
      { multiValued: true, description: 'A physical mailing address for this User.', subAttributeAliases: { value: 'formatted' } },
    ),
    attr.complex(
      'groups',
      [
        attr.string('value', { description: 'The identifier of the User\'s group.', mutability: 'readOnly' }),
        attr.reference('$ref', ['User', 'Group'], { description: 'The URI of the corresponding Group resource.', mutability: 'readOnly' }),
        attr.string('display', { description: 'A human-readable name of the group.', mutability: 'readOnly' }),
        attr.string('type', { description: 'Direct or indirect membership.', canonicalValues: ['direct', 'indirect'], mutability: 'readOnly' }),
      ],
      { multiValued: true, mutability: 'readOnly', description: 'Groups the user belongs to; changed through /Groups.' },
    ),
    multiValuedComplex('entitlements', 'Entitlements the User has.', []),
    multiValuedComplex('roles', 'Roles for the User.', []),
    multiValuedComplex(
      'x509Certificates',
      'X.509 certificates issued to the User.',
      [],
      attr.binary('value', { description: 'The value of an X.509 certificate.' }),
    ),
  ],
};
