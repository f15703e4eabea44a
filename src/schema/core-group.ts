import { attr } from './attribute.js';
import type { SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** The core Group schema, RFC 7643 §4.2 (displayName is required as §4.2 says). */
export const coreGroupSchema: SchemaDefinition = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr.string('displayName', { description: 'A human-readable name for the Group. Required.', required: true }),
    attr.complex(
      'members',
      [
        attr.string('value', { description: 'Identifier of the member of this Group.', mutability: 'immutable' }),
        attr.reference('$ref', ['User', 'Group'], { description: 'The URI of the member resource.', mutability: 'immutable' }),
        attr.string('type', {
          description: 'The type of the member: User or Group.',
          canonicalValues: ['User', 'Group'],
          mutability: 'immutable',
        }),
        attr.string('display', { description: 'The member\'s display name, computed by Roster.', mutability: 'readOnly' }),
      ],
      { multiValued: true, description: 'A list of members of the Group.' },
    ),
  ],
};
