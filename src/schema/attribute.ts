import type { AttributeDefinition } from './types.js';

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type'>>;

const defaults = {
  multiValued: false,
  description: '',
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
} as const;

/** Builders that apply RFC 7643 §2.2 defaults, so definitions list only what differs. */
export const attr = {
  string: (name: string, options: Options = {}): AttributeDefinition => ({ name, type: 'string', ...defaults, ...options }),
  boolean: (name: string, options: Options = {}): AttributeDefinition => ({ name, type: 'boolean', ...defaults, ...options }),
  integer: (name: string, options: Options = {}): AttributeDefinition => ({ name, type: 'integer', ...defaults, ...options }),
  decimal: (name: string, options: Options = {}): AttributeDefinition => ({ name, type: 'decimal', ...defaults, ...options }),
  dateTime: (name: string, options: Options = {}): AttributeDefinition => ({ name, type: 'dateTime', ...defaults, ...options }),
  // RFC 7643 §2.3.6: binary values are case exact.
  binary: (name: string, options: Options = {}): AttributeDefinition => ({ name, type: 'binary', ...defaults, caseExact: true, ...options }),
  reference: (name: string, referenceTypes: readonly string[], options: Options = {}): AttributeDefinition => ({
    name,
    type: 'reference',
    ...defaults,
    caseExact: true,
    referenceTypes,
    ...options,
  }),
  complex: (name: string, subAttributes: readonly AttributeDefinition[], options: Options = {}): AttributeDefinition => ({
    name,
    type: 'complex',
    ...defaults,
    subAttributes,
    ...options,
  }),
};

/** The `value, display, type, primary` shape of RFC 7643 §2.4 multi-valued attributes. */
export function multiValuedComplex(
  name: string,
  description: string,
  types: readonly string[],
  value: AttributeDefinition = attr.string('value', { description: `Value of the ${name} entry.` }),
): AttributeDefinition {
  return attr.complex(
    name,
    [
      value,
      attr.string('display', { description: 'A human-readable name, primarily used for display purposes.' }),
      attr.string('type', { description: 'A label indicating the attribute\'s function.', canonicalValues: types }),
      attr.boolean('primary', { description: 'Indicates the primary or preferred value; at most one is true.' }),
    ],
    { multiValued: true, description },
  );
}
