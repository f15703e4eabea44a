import type { AttributePath } from '../../schema/attribute-path.js';
import type { FilterNode } from './ast.js';
import { describeToken, type FilterGrammar } from './grammar.js';
import { runGrammar, type FilterParseError, type FilterParseLimits } from './parser.js';

/**
 * A PATCH path (RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`):
 * `name.familyName` → { attribute: {name, subAttribute} };
 * `addresses[type eq "work"]` → { attribute, filter };
 * `members[value eq "id"].display` → { attribute, filter, subAttribute: 'display' }.
 * Paths inside `filter` are relative to one value of `attribute` (their `name` is the
 * sub-attribute name), as in a filter's ValuePathNode.
 */
export interface ValuePath {
  readonly attribute: AttributePath;
  readonly filter?: FilterNode;
  readonly subAttribute?: string;
}

export type ValuePathParseResult = { readonly ok: true; readonly path: ValuePath } | { readonly ok: false; readonly error: FilterParseError };

const SUB_ATTRIBUTE = /^[A-Za-z$][\w$-]*$/;

function parsePath(grammar: FilterGrammar): ValuePath {
  const word = grammar.take();
  if (word.kind !== 'word') {
    return grammar.fail(`Expected an attribute path at position ${word.position}, found ${describeToken(word)}`, word.position);
  }
  const attribute = grammar.attributePath(word);
  let path: ValuePath = { attribute };
  if (grammar.peek().kind === '[') {
    const { filter } = grammar.parseValueFilter(word, attribute, 0, false);
    path = { attribute, filter };
    const dot = grammar.peek();
    if (dot.kind === '.') {
      grammar.take();
      const sub = grammar.take();
      if (sub.kind !== 'word' || !SUB_ATTRIBUTE.test(sub.text)) {
        const shown = sub.kind === 'word' ? `"${sub.text}"` : describeToken(sub);
        return grammar.fail(`Expected a sub-attribute name after "]." at position ${sub.position}, found ${shown}`, sub.position);
      }
      path = { attribute, filter, subAttribute: sub.text };
    }
  }
  const rest = grammar.peek();
  if (rest.kind !== 'end') grammar.fail(`Unexpected ${describeToken(rest)} at position ${rest.position}`, rest.position);
  return path;
}

/**
 * Parses a PATCH operation path: `attrPath`, `attrPath[valFilter]` or
 * `attrPath[valFilter].subAttr`, with the same lexical rules, messages and limits as
 * parseFilter. The PATCH engine maps a failure to 400 invalidPath (or invalidFilter when it
 * prefers to report the bracketed filter).
 */
export function parseValuePath(text: string, limits?: FilterParseLimits): ValuePathParseResult {
  const result = runGrammar('Path', text, limits, parsePath);
  return result.ok ? { ok: true, path: result.value } : result;
}
