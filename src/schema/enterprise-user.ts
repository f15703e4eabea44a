import { attr } from './attribute.js';
import type { SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** The Enterprise User extension, RFC 7643 §4.3. */
export const enterpriseUserSchema: SchemaDefinition = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr.string('employeeNumber', { description: 'Numeric or alphanumeric identifier assigned to a person.' }),
    attr.string('costCenter', { description: 'Identifies the name of a cost center.' }),
    attr.string('organization', { description: 'Identifies the name of an organization.' }),
    attr.string('division', { description: 'Identifies the name of a division.' }),
    attr.string('department', { description: 'Identifies the name of a department.' }),
    attr.complex(
      'manager',
      [
        attr.string('value', { description: 'The id of the SCIM resource representing the User\'s manager.' }),
        attr.reference('$ref', ['User'], { description: 'The URI of the SCIM resource representing the User\'s manager.' }),
        attr.string('displayName', { description: 'The displayName of the User\'s manager.', mutability: 'readOnly' }),
      ],
      { description: 'The User\'s manager.' },
    ),
  ],
};
