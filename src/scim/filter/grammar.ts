import { parseAttributePath, type AttributePath } from '../../schema/attribute-path.js';
import type { CompareOperator, FilterNode, FilterValue } from './ast.js';
import { FilterSyntaxError, Lexer, type Keyword, type Token } from './lexer.js';

interface Parsed {
  readonly node: FilterNode;
  readonly depth: number;
}

/** A value filter as parsed, with its brackets (for messages). */
export interface ParsedValueFilter extends Parsed {
  /** The filter inside the brackets. */
  readonly filter: FilterNode;
  readonly open: Token;
  readonly close: Token;
}

type WordToken = Extract<Token, { kind: 'word' }>;

const COMPARE_OPERATORS: ReadonlySet<Keyword> = new Set<CompareOperator>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

function isCompareOperator(keyword: Keyword | undefined): keyword is CompareOperator {
  return keyword !== undefined && COMPARE_OPERATORS.has(keyword);
}

/** How a token reads in a message: `"userName"`, `string "x"`, `number 12`, `")"`, `end of input`. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'word':
      return JSON.stringify(token.text);
    case 'string':
      return `string ${token.raw}`;
    case 'number':
      return `number ${token.raw}`;
    case 'end':
      return 'end of input';
    case '(':
    case ')':
    case '[':
    case ']':
    case '.':
      return `"${token.kind}"`;
  }
}

/**
 * The recursive-descent core shared by parseFilter and parseValuePath (RFC 7644 §3.4.2.2
 * Figure 1, with `not` > `and` > `or`, and/or left-associative).
 *
 * Depth: a comparison or `pr` has depth 1; `( … )`, `not ( … )` and `attr[ … ]` add one
 * level to what they enclose; a chain of one logical operator (`a or b or c`) is one level
 * above its deepest operand. Groups are checked when they open, so a pathological
 * `((((…` fails before the recursion gets deep.
 */
export class FilterGrammar {
  private readonly lexer: Lexer;
  private readonly lookahead: Token[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.lexer = new Lexer(text);
  }

  /** The token `ahead` tokens after the current one, without consuming anything. */
  peek(ahead = 0): Token {
    while (this.lookahead.length <= ahead) this.lookahead.push(this.lexer.next());
    return this.lookahead[ahead] as Token;
  }

  /** Consumes and returns the current token. */
  take(): Token {
    const token = this.peek();
    this.lookahead.shift();
    return token;
  }

  /** Aborts the parse with a message that names `position`. */
  fail(message: string, position: number): never {
    throw new FilterSyntaxError(message, position);
  }

  /** A whole filter: one expression, then the end of the input. */
  parseFilter(): FilterNode {
    const parsed = this.parseOr(0, false);
    const rest = this.peek();
    if (rest.kind === 'end') return parsed.node;
    const hint = rest.kind === ')' || rest.kind === ']' ? '' : '; expected "and" or "or"';
    return this.fail(`Unexpected ${describeToken(rest)} at position ${rest.position}${hint}`, rest.position);
  }

  /** Reads a word as an attribute path, failing with its position when malformed. */
  attributePath(word: WordToken): AttributePath {
    return parseAttributePath(word.text) ?? this.fail(`Invalid attribute path "${word.text}" at position ${word.position}`, word.position);
  }

  /** `[ valFilter ]` after `path`; the next token must be `[`. */
  parseValueFilter(word: WordToken, path: AttributePath, groups: number, inValueFilter: boolean): ParsedValueFilter {
    const open = this.take();
    if (inValueFilter) this.fail(`Value paths cannot be nested: unexpected "[" at position ${open.position}`, open.position);
    if (path.subAttribute !== undefined) {
      this.fail(
        `A value filter cannot follow the sub-attribute path "${word.text}": unexpected "[" at position ${open.position}`,
        open.position,
      );
    }
    this.guardGroup(groups, open);
    const inner = this.parseOr(groups + 1, true);
    const close = this.expectCloser(']', open);
    const depth = this.checkDepth(inner.depth + 1, open);
    return { node: { kind: 'valuePath', path, filter: inner.node }, filter: inner.node, depth, open, close };
  }

  private parseOr(groups: number, inValueFilter: boolean): Parsed {
    return this.parseChain('or', () => this.parseAnd(groups, inValueFilter));
  }

  private parseAnd(groups: number, inValueFilter: boolean): Parsed {
    return this.parseChain('and', () => this.parseUnary(groups, inValueFilter));
  }

  /** `operand (kind operand)*`, built left-associative; the chain is one level above its deepest operand. */
  private parseChain(kind: 'and' | 'or', parseOperand: () => Parsed): Parsed {
    const first = parseOperand();
    let node = first.node;
    let deepest = first.depth;
    let depth = first.depth;
    for (let token = this.peek(); token.kind === 'word' && token.keyword === kind; token = this.peek()) {
      this.take();
      const right = parseOperand();
      node = { kind, left: node, right: right.node };
      deepest = Math.max(deepest, right.depth);
      depth = this.checkDepth(deepest + 1, token);
    }
    return { node, depth };
  }

  private parseUnary(groups: number, inValueFilter: boolean): Parsed {
    const token = this.peek();
    if (token.kind === '(') {
      this.take();
      return this.parseGroup(token, groups, inValueFilter, (inner) => inner);
    }
    if (token.kind !== 'word') {
      return this.fail(
        `Expected an attribute path, "not" or "(" at position ${token.position}, found ${describeToken(token)}`,
        token.position,
      );
    }
    if (token.keyword === 'not') {
      const after = this.peek(1);
      if (after.kind === '(') {
        this.take();
        this.take();
        return this.parseGroup(after, groups, inValueFilter, (operand) => ({ kind: 'not', operand }));
      }
      // `not eq "x"`, `not pr` and `not[…]` use an attribute that happens to be named "not".
      const namesAttribute = after.kind === '[' || (after.kind === 'word' && (after.keyword === 'pr' || isCompareOperator(after.keyword)));
      if (!namesAttribute) this.fail(`Expected "(" after "not" at position ${after.position}`, after.position);
    }
    return this.parseAttributeExpression(token, groups, inValueFilter);
  }

  /** The inside of a `(`…`)` whose opener was just taken, wrapped by `wrap`. */
  private parseGroup(open: Token, groups: number, inValueFilter: boolean, wrap: (inner: FilterNode) => FilterNode): Parsed {
    this.guardGroup(groups, open);
    const inner = this.parseOr(groups + 1, inValueFilter);
    this.expectCloser(')', open);
    return { node: wrap(inner.node), depth: this.checkDepth(inner.depth + 1, open) };
  }

  private parseAttributeExpression(word: WordToken, groups: number, inValueFilter: boolean): Parsed {
    this.take();
    const path = this.attributePath(word);
    const next = this.peek();
    if (next.kind === '[') {
      const valueFilter = this.parseValueFilter(word, path, groups, inValueFilter);
      return this.parseSubAttributeAfterValueFilter(path, valueFilter);
    }
    if (next.kind === 'word' && next.keyword === 'pr') {
      this.take();
      return { node: { kind: 'present', path }, depth: 1 };
    }
    if (next.kind === 'word' && isCompareOperator(next.keyword)) {
      this.take();
      const value = this.parseCompValue(next);
      return { node: { kind: 'compare', op: next.keyword, path, value }, depth: 1 };
    }
    return this.fail(`Expected a comparison operator after "${word.text}" at position ${next.position}`, next.position);
  }

  private parseCompValue(operator: WordToken): FilterValue {
    const token = this.take();
    if (token.kind === 'string' || token.kind === 'number') return token.value;
    if (token.kind === 'word') {
      if (token.keyword === 'true') return true;
      if (token.keyword === 'false') return false;
      if (token.keyword === 'null') return null;
    }
    return this.fail(
      `Expected a value after "${operator.text}" at position ${token.position} ` +
        `(a string in double quotes, a number, true, false or null), found ${describeToken(token)}`,
      token.position,
    );
  }

  /**
   * `emails[type eq "work"].value eq "x"` is not in RFC 7644's filter grammar, but Entra ID
   * sends it when a multi-valued sub-attribute is the matching attribute (IdP rule
   * T16). It means `emails[type eq "work" and value eq "x"]`, which is what it becomes here.
   */
  private parseSubAttributeAfterValueFilter(path: AttributePath, valueFilter: ParsedValueFilter): Parsed {
    const dot = this.peek();
    if (dot.kind !== '.') return valueFilter;
    this.take();
    const word = this.peek();
    if (word.kind !== 'word' || parseAttributePath(word.text) === undefined || word.text.includes('.') || word.text.includes(':')) {
      return this.fail(`Expected a sub-attribute name after "." at position ${word.position}`, word.position);
    }
    const condition = this.parseAttributeExpression(word, 0, true);
    if (condition.node.kind === 'valuePath') {
      return this.fail(`Value paths cannot be nested: unexpected "[" after ".${word.text}"`, word.position);
    }
    const filter: FilterNode = { kind: 'and', left: valueFilter.filter, right: condition.node };
    const depth = this.checkDepth(valueFilter.depth + 1, dot);
    return { node: { kind: 'valuePath', path, filter }, depth };
  }

  private expectCloser(kind: ')' | ']', open: Token): Token {
    const token = this.peek();
    if (token.kind === kind) return this.take();
    if (token.kind === 'end') {
      const what = kind === ')' ? `")" to close the "(" opened` : `"]" to close the value filter opened`;
      return this.fail(`Expected ${what} at position ${open.position}`, open.position);
    }
    return this.fail(
      `Unexpected ${describeToken(token)} at position ${token.position}; expected "and", "or" or "${kind}"`,
      token.position,
    );
  }

  /** Fails early when opening a group cannot fit: k nested groups around an atom make depth k + 1. */
  private guardGroup(groups: number, open: Token): void {
    this.checkDepth(groups + 2, open);
  }

  private checkDepth(depth: number, at: Token): number {
    if (depth > this.maxDepth) {
      this.fail(`Filter nesting exceeds the maximum depth of ${this.maxDepth} at position ${at.position}`, at.position);
    }
    return depth;
  }
}
