import type { CompareOperator } from './ast.js';

/**
 * A hand-written tokenizer for SCIM filters and value paths (RFC 7644 §3.4.2.2, §3.5.2).
 *
 * Words are not classified by position here: `pr`, `and` or `not` can also be attribute
 * names, so a word token carries its `keyword` (lower-cased, when it is one) and the parser
 * decides from context whether it is an operator or an attribute path.
 */
export type Keyword = CompareOperator | 'pr' | 'and' | 'or' | 'not' | 'true' | 'false' | 'null';

export type Token =
  /** An attribute path (`userName`, `name.givenName`, `urn:…:2.0:User:manager`) or a keyword. */
  | { readonly kind: 'word'; readonly text: string; readonly keyword: Keyword | undefined; readonly position: number }
  /** A JSON string literal; `value` is decoded, `raw` is the source text with its quotes. */
  | { readonly kind: 'string'; readonly value: string; readonly raw: string; readonly position: number }
  /** A JSON number literal. */
  | { readonly kind: 'number'; readonly value: number; readonly raw: string; readonly position: number }
  | { readonly kind: '(' | ')' | '[' | ']' | '.'; readonly position: number }
  /** End of input; `position` is the text length. */
  | { readonly kind: 'end'; readonly position: number };

/** A syntax error at a character position (0-based); the parser turns it into a result. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

const KEYWORDS: ReadonlySet<string> = new Set<Keyword>([
  'eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'and', 'or', 'not', 'true', 'false', 'null',
]);

// A word starts like an ATTRNAME (or `$ref`) and runs over everything an attribute path or
// URN prefix may hold; `.` and `:` are inside the word so `urn:…:2.0:User:name.givenName`
// is one token and parseAttributePath splits it at the last colon.
const WORD_START = /[A-Za-z$]/;
const WORD_CHAR = /[\w$.:%-]/;
// Characters that may continue a malformed number such as `01`, `1.` or `12abc`; the whole
// run is reported rather than a confusing split into a number and a word.
const NUMBER_RUN = /[\w.+$-]/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};
const PUNCTUATION = new Set(['(', ')', '[', ']', '.']);

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

/** Tokenizes lazily, so the first error reported is the leftmost one in the text. */
export class Lexer {
  private offset = 0;

  constructor(private readonly text: string) {}

  /** The next token; `end` once the input is exhausted (repeatedly). */
  next(): Token {
    const { text } = this;
    while (this.offset < text.length && isWhitespace(text.charAt(this.offset))) this.offset += 1;
    const position = this.offset;
    if (position >= text.length) return { kind: 'end', position: text.length };
    const char = text.charAt(position);
    if (PUNCTUATION.has(char)) {
      this.offset += 1;
      return { kind: char as '(' | ')' | '[' | ']' | '.', position };
    }
    if (char === '"') return this.readString(position);
    if (char === '-' || (char >= '0' && char <= '9')) return this.readNumber(position);
    if (WORD_START.test(char)) return this.readWord(position);
    // Show the whole code point, not half of a surrogate pair.
    const shown = String.fromCodePoint(text.codePointAt(position) ?? 0);
    const hint = char === "'" ? '; string values must be in double quotes' : '';
    throw new FilterSyntaxError(`Unexpected character ${JSON.stringify(shown)} at position ${position}${hint}`, position);
  }

  private readWord(position: number): Token {
    let end = position + 1;
    while (end < this.text.length && WORD_CHAR.test(this.text.charAt(end))) end += 1;
    this.offset = end;
    const text = this.text.slice(position, end);
    const lower = text.toLowerCase();
    return { kind: 'word', text, keyword: KEYWORDS.has(lower) ? (lower as Keyword) : undefined, position };
  }

  private readNumber(position: number): Token {
    let end = position + 1;
    while (end < this.text.length && NUMBER_RUN.test(this.text.charAt(end))) {
      // A sign is only part of the number right after an exponent marker (`1e-5`).
      const char = this.text.charAt(end);
      if ((char === '-' || char === '+') && !/[eE]/.test(this.text.charAt(end - 1))) break;
      end += 1;
    }
    const raw = this.text.slice(position, end);
    if (!JSON_NUMBER.test(raw)) throw new FilterSyntaxError(`Invalid number "${raw}" at position ${position}`, position);
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new FilterSyntaxError(`Number ${raw} at position ${position} is out of range`, position);
    this.offset = end;
    // -0 and 0 are the same JSON value; keeping -0 would only make ASTs compare unequal.
    return { kind: 'number', value: value === 0 ? 0 : value, raw, position };
  }

  private readString(position: number): Token {
    const { text } = this;
    let value = '';
    let index = position + 1;
    for (;;) {
      if (index >= text.length) throw new FilterSyntaxError(`Unterminated string starting at position ${position}`, position);
      const char = text.charAt(index);
      if (char === '"') break;
      if (char === '\\') {
        const [decoded, length] = this.readEscape(index);
        value += decoded;
        index += length;
        continue;
      }
      const code = char.charCodeAt(0);
      if (code < 0x20) {
        const hex = code.toString(16).toUpperCase().padStart(4, '0');
        throw new FilterSyntaxError(`Unescaped control character U+${hex} in the string at position ${index}`, index);
      }
      value += char;
      index += 1;
    }
    this.offset = index + 1;
    return { kind: 'string', value, raw: text.slice(position, index + 1), position };
  }

  /** Decodes the escape at `index` (the backslash); returns the text and the source length. */
  private readEscape(index: number): [string, number] {
    const letter = this.text.charAt(index + 1);
    if (letter === '') throw new FilterSyntaxError(`Unterminated escape sequence at position ${index}`, index);
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) return [simple, 2];
    if (letter === 'u') {
      const hex = this.text.slice(index + 2, index + 6);
      if (!HEX4.test(hex)) {
        throw new FilterSyntaxError(`Invalid escape sequence "\\u${hex}" at position ${index}; \\u needs four hex digits`, index);
      }
      // Surrogate pairs written as two \u escapes join up by plain concatenation.
      return [String.fromCharCode(parseInt(hex, 16)), 6];
    }
    throw new FilterSyntaxError(`Invalid escape sequence "\\${letter}" at position ${index}`, index);
  }
}
