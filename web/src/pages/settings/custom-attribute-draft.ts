import type { TenantSettings } from '../../api/types.js';

/** The form's view of the tenant's extension schemas (setting `extensionSchemas`). */

type ExtensionSchemas = TenantSettings['extensionSchemas'];
export type AttributeType = ExtensionSchemas[number]['attributes'][number]['type'];

export const ATTRIBUTE_TYPES: readonly { value: AttributeType; label: string }[] = [
  { value: 'string', label: 'Text' },
  { value: 'boolean', label: 'Yes / no' },
  { value: 'integer', label: 'Whole number' },
  { value: 'decimal', label: 'Decimal number' },
  { value: 'dateTime', label: 'Date and time' },
  { value: 'reference', label: 'Link (URL)' },
  { value: 'binary', label: 'Binary (base64)' },
];

export interface AttributeRow {
  /** A key for React only. */
  readonly key: number;
  readonly schemaId: string;
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  /** Comma-separated; empty for any value. */
  readonly canonicalValues: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const URN = /^urn:ietf:params:scim:schemas:extension:[A-Za-z0-9][A-Za-z0-9._-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)*:2\.0:User$/;

let nextKey = 0;
export function newRow(schemaId: string, name = ''): AttributeRow {
  nextKey += 1;
  return { key: nextKey, schemaId, name, type: 'string', multiValued: false, canonicalValues: '' };
}

/** A schema URN for an account with no extension yet: `…:extension:<slug>:2.0:User`. */
export function defaultSchemaId(accountName: string): string {
  const slug = accountName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'custom';
  return `urn:ietf:params:scim:schemas:extension:${slug}:2.0:User`;
}

export function rowsOf(schemas: ExtensionSchemas): AttributeRow[] {
  return schemas.flatMap((schema) =>
    schema.attributes.map((attribute) => ({ ...newRow(schema.id, attribute.name), type: attribute.type, multiValued: attribute.multiValued ?? false, canonicalValues: (attribute.canonicalValues ?? []).join(', ') })),
  );
}

const valuesOf = (row: AttributeRow): string[] => row.canonicalValues.split(',').map((v) => v.trim()).filter((v) => v !== '');

/** What is wrong with the rows, in words, one line each; empty when they can be saved. */
export function problemsOf(rows: readonly AttributeRow[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const label = row.name.trim() === '' ? `Attribute ${index + 1}` : `"${row.name.trim()}"`;
    if (!URN.test(row.schemaId.trim())) problems.push(`${label}: the schema must look like urn:ietf:params:scim:schemas:extension:yourcompany:2.0:User.`);
    if (row.name.trim() === '') problems.push(`${label} needs a name.`);
    else if (!NAME.test(row.name.trim())) problems.push(`${label}: a name starts with a letter and has only letters, digits, - and _.`);
    const key = `${row.schemaId.trim().toLowerCase()}:${row.name.trim().toLowerCase()}`;
    if (row.name.trim() !== '' && seen.has(key)) problems.push(`${label} is declared twice in the same schema.`);
    seen.add(key);
    const values = valuesOf(row);
    if (values.length > 0 && row.type !== 'string') problems.push(`${label}: allowed values apply to text attributes only.`);
    if (new Set(values).size !== values.length) problems.push(`${label}: an allowed value is listed twice.`);
  });
  return problems;
}

/** The rows as the setting, grouped by schema in the order the schemas first appear. */
export function schemasOf(rows: readonly AttributeRow[], previous: ExtensionSchemas): ExtensionSchemas {
  const bySchema = new Map<string, AttributeRow[]>();
  for (const row of rows) bySchema.set(row.schemaId.trim(), [...(bySchema.get(row.schemaId.trim()) ?? []), row]);
  return [...bySchema.entries()].map(([id, schemaRows]) => {
    const before = previous.find((schema) => schema.id === id);
    return {
      id,
      ...(before?.name === undefined ? {} : { name: before.name }),
      ...(before?.description === undefined ? {} : { description: before.description }),
      attributes: schemaRows.map((row) => {
        const values = valuesOf(row);
        const old = before?.attributes.find((attribute) => attribute.name === row.name.trim());
        return {
          name: row.name.trim(),
          type: row.type,
          ...(row.multiValued ? { multiValued: true } : {}),
          ...(old?.description === undefined ? {} : { description: old.description }),
          ...(old?.caseExact === undefined ? {} : { caseExact: old.caseExact }),
          ...(values.length === 0 ? {} : { canonicalValues: values }),
        };
      }),
    };
  });
}

/** The schema and attribute name an undeclared path suggests: `urn:…:User:costCenter` or `costCenter`. */
export function suggestionOf(path: string, fallbackSchemaId: string): { schemaId: string; name: string } {
  const match = /^(urn:.*:User):([^:]+)$/i.exec(path);
  if (match?.[1] !== undefined && match[2] !== undefined) return { schemaId: match[1], name: match[2] };
  return { schemaId: fallbackSchemaId, name: path.split('.').at(-1) ?? path };
}
