import { attr } from './attribute.js';
import type { AttributeDefinition } from './types.js';

/**
 * Attributes every resource carries (RFC 7643 §3.1). They belong to no schema, so /Schemas
 * does not list them, but filters, sorting and projections resolve them like any other.
 */
export const commonAttributes: readonly AttributeDefinition[] = [
  attr.string('id', {
    description: 'Unique identifier for the resource, assigned by the service provider.',
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr.string('externalId', {
    description: 'Identifier of the resource as defined by the provisioning client.',
    caseExact: true,
  }),
  attr.complex(
    'meta',
    [
      attr.string('resourceType', { caseExact: true, mutability: 'readOnly' }),
      attr.dateTime('created', { mutability: 'readOnly' }),
      attr.dateTime('lastModified', { mutability: 'readOnly' }),
      attr.reference('location', ['uri'], { mutability: 'readOnly' }),
      attr.string('version', { caseExact: true, mutability: 'readOnly' }),
    ],
    { description: 'Resource metadata.', mutability: 'readOnly' },
  ),
];
