/**
 * An attribute path as RFC 7644 §3.10 writes it: `[URN ":"] ATTRNAME ["." SUBATTR]`.
 * Parsing here is purely syntactic; the schema registry decides what a path means.
 */
export interface AttributePath {
  /** Schema URN prefix as written, without the trailing colon. */
  readonly urn?: string;
  readonly name: string;
  readonly subAttribute?: string;
}

const NAME = /^[A-Za-z$][\w$-]*$/;

/** Parses `urn:…:User:name.givenName`, `name.givenName` or `userName`; undefined when malformed. */
export function parseAttributePath(text: string): AttributePath | undefined {
  let urn: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const lastColon = text.lastIndexOf(':');
    urn = text.slice(0, lastColon);
    rest = text.slice(lastColon + 1);
  }
  const dot = rest.indexOf('.');
  const name = dot === -1 ? rest : rest.slice(0, dot);
  const subAttribute = dot === -1 ? undefined : rest.slice(dot + 1);
  if (!NAME.test(name)) return undefined;
  if (subAttribute !== undefined && !NAME.test(subAttribute)) return undefined;
  return { ...(urn === undefined ? {} : { urn }), name, ...(subAttribute === undefined ? {} : { subAttribute }) };
}

export function formatAttributePath(path: AttributePath): string {
  const base = path.subAttribute === undefined ? path.name : `${path.name}.${path.subAttribute}`;
  return path.urn === undefined ? base : `${path.urn}:${base}`;
}
