import {
  InvalidFilterError,
  InvalidPathError,
  InvalidSyntaxError,
  InvalidValueError,
  MutabilityError,
  NoTargetError,
  ScimError,
  type ScimType,
} from '../errors.js';

/** The prefix that names the failing operation in every PATCH error detail. */
export function operationLabel(index: number): string {
  return `Operations[${index}]`;
}

const rebuild: Partial<Record<ScimType, new (detail: string) => ScimError>> = {
  invalidFilter: InvalidFilterError,
  invalidPath: InvalidPathError,
  invalidSyntax: InvalidSyntaxError,
  invalidValue: InvalidValueError,
  mutability: MutabilityError,
  noTarget: NoTargetError,
};

/**
 * Re-throws an error raised while applying operation `index` with the operation named in its
 * detail. Errors from shared code (type coercion, required checks) do not know which operation
 * they belong to; an IdP admin reading the error needs to.
 */
export function withOperation(error: unknown, index: number): unknown {
  if (!(error instanceof ScimError) || error.scimType === undefined) return error;
  const prefix = `${operationLabel(index)}: `;
  if (error.detail.startsWith(prefix)) return error;
  const Kind = rebuild[error.scimType];
  return Kind === undefined ? error : new Kind(`${prefix}${error.detail}`);
}
