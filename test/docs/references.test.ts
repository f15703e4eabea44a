// Every reference resolves inside the repository. The seed identifiers ("seed 003") and IdP
// rule identifiers ("T8") that code, tests, fixtures and docs cite are defined in
// docs/requirements.md and docs/idp-rules.md; every docs/ path, markdown link and #anchor
// cited points at something that exists; and nothing cites material outside the repository.
// The forbidden patterns below name that material, so this file is the one file not scanned.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const SELF = relative(ROOT, join(import.meta.dirname, 'references.test.ts')).split(sep).join('/');

/** Where citations may appear. */
const SCANNED = ['src', 'test', 'bench', 'scripts', 'web/src', 'docs', 'README.md'];
const TEXT_FILE = /\.(ts|tsx|mts|js|mjs|json|md|css|html)$/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'results', 'screenshots']);

interface Citation {
  readonly kind: 'seed' | 'rule';
  /** The identifier in the form docs/ defines it: "seed 003", "T8". */
  readonly id: string;
  readonly line: number;
}

interface Definitions {
  readonly seeds: ReadonlySet<string>;
  readonly rules: ReadonlySet<string>;
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

/** "seed 000", "seeds 000, 002 and 004", "seeds 000–004", "seed 000 to seed 004"; not "--seed 42". */
const SEED_LIST = /(?<![\w-])seeds?\s+\d{3}(?!\d)(?:\s*(?:,\s*(?:and\s+)?|and|or|to|–|-)\s*(?:seeds?\s+)?\d{3}(?!\d))*/gi;
/** "T8", "T1–T20", `"rules": ["T14"]`; not the T of a timestamp ("2020-01-01T10:00:00Z", "${day}T12:00"). */
const RULE = /(?<![\w}$./-])T(\d{1,3})(?![\w]|:\d)/g;
/** docs/ paths as code and docs cite them, with an optional #anchor. */
const DOCS_PATH = /(?<![\w./-])docs\/[\w/.-]*\w(?:#[\w-]+)?/g;
/** Material that lives outside the repository, and words that point at it. */
const FORBIDDEN: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\/work\/shared\b|\bshared\/(?:spec|seeds|design)\b/, what: 'the shared folder outside the repository' },
  { pattern: /idp-behaviors(?:\.md)?/i, what: 'the IdP-behaviour spec (cite docs/idp-rules.md)' },
  { pattern: /scim-checklist(?:\.md)?/i, what: 'the SCIM checklist (cite the RFC section)' },
  { pattern: /\bbrief\.md\b|\bthe (?:product )?brief\b|\bbrief's\b/i, what: 'the brief (say what is meant, e.g. docs/benchmarks.md)' },
  { pattern: /\bissues? #?\d+/i, what: 'an issue number (say what is meant)' },
];

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}

function seedsOf(list: string): string[] {
  const parts = [...list.matchAll(/(\d{3})(?!\d)|(–|-|\bto\b)/gi)];
  const seeds: number[] = [];
  let range = false;
  for (const [, digits] of parts) {
    if (digits === undefined) {
      range = true;
      continue;
    }
    const number = Number(digits);
    const from = seeds.at(-1);
    if (range && from !== undefined) for (let next = from + 1; next < number; next += 1) seeds.push(next);
    seeds.push(number);
    range = false;
  }
  return seeds.map((number) => `seed ${String(number).padStart(3, '0')}`);
}

/** The seed and rule identifiers a text cites, with their lines. */
function citationsIn(text: string): Citation[] {
  const citations: Citation[] = [];
  for (const match of text.matchAll(SEED_LIST)) {
    for (const id of seedsOf(match[0])) citations.push({ kind: 'seed', id, line: lineAt(text, match.index) });
  }
  for (const match of text.matchAll(RULE)) citations.push({ kind: 'rule', id: `T${Number(match[1])}`, line: lineAt(text, match.index) });
  return citations;
}

function unresolved(citations: readonly Citation[], definitions: Definitions): Citation[] {
  return citations.filter((citation) => !(citation.kind === 'seed' ? definitions.seeds : definitions.rules).has(citation.id));
}

/** Relative paths that climb: "../events.md", "../../src/x.ts". */
const CLIMBING_PATH = /(?<![\w./-])(?:\.\.\/)+[\w.-]+/g;

/** What `text`, the content of the repository file `file`, cites outside the repository. */
function forbiddenIn(text: string, file: string): { readonly line: number; readonly what: string }[] {
  const named = FORBIDDEN.flatMap(({ pattern, what }) =>
    [...text.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))].map((match) => ({ line: lineAt(text, match.index), what: `${what}: "${match[0]}"` })),
  );
  // A relative path is judged by where it leads from its own file, not by the names in it: in
  // prose (Markdown, comments), which is what a reader follows; a string in code may be relative
  // to somewhere else (a test fixture's folder).
  const prose = (index: number): boolean => file.endsWith('.md') || /^\s*(?:\/\/|\*|\/\*)/.test(text.slice(text.lastIndexOf('\n', index) + 1, index));
  const escaping = [...text.matchAll(CLIMBING_PATH)]
    .filter((match) => prose(match.index) && relative(ROOT, join(ROOT, dirname(file), match[0])).startsWith('..'))
    .map((match) => ({ line: lineAt(text, match.index), what: `a path outside the repository: "${match[0]}"` }));
  return [...named, ...escaping];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ' '));
}

/** The anchors of a markdown file's headings, numbered as GitHub numbers repeated ones. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(match[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** What a cited path (relative to `from`, a directory of the repository) fails to resolve to, if anything. */
function targetProblem(from: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? undefined : join(ROOT, from, path);
  if (file !== undefined && !existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined || anchor === '') return undefined;
  if (file === undefined || !statSync(file).isFile()) return `${target}: an anchor needs a markdown file`;
  return anchorsOf(readFileSync(file, 'utf8')).has(anchor) ? undefined : `${target}: no heading with that anchor`;
}

function filesUnder(path: string, out: string[]): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return out;
  if (statSync(full).isFile()) {
    if (TEXT_FILE.test(path) && path !== SELF) out.push(path);
    return out;
  }
  for (const name of readdirSync(full)) {
    if (name.startsWith('.') || SKIPPED_DIRECTORIES.has(name)) continue;
    filesUnder(`${path}/${name}`, out);
  }
  return out;
}

function readDefinitions(): Definitions {
  const requirements = readFileSync(join(ROOT, 'docs', 'requirements.md'), 'utf8');
  const rules = readFileSync(join(ROOT, 'docs', 'idp-rules.md'), 'utf8');
  return {
    seeds: new Set([...requirements.matchAll(/^#{2,6}\s+(seed \d{3})\b/gm)].map((match) => match[1] ?? '')),
    rules: new Set([...rules.matchAll(/^\|\s*(T\d{1,3})\s*\|/gm)].map((match) => match[1] ?? '')),
  };
}

const files = SCANNED.flatMap((path) => filesUnder(path, []));
const definitions = readDefinitions();

function findings(check: (file: string, text: string) => Finding[]): string[] {
  return files.flatMap((file) => check(file, readFileSync(join(ROOT, file), 'utf8'))).map(({ file, line, problem }) => `${file}:${line}: ${problem}`);
}

describe('the resolver', () => {
  it('finds planted identifiers that docs/ does not define', () => {
    const text = '// see T99 and T8, seed 007 and seed 003\n';
    assert.deepEqual(
      unresolved(citationsIn(text), definitions).map((citation) => `${citation.id}@${citation.line}`),
      ['seed 007@1', 'T99@1'],
    );
  });

  it('reads lists and ranges of seeds, and rule ranges', () => {
    const ids = (text: string): string[] => citationsIn(text).map((citation) => citation.id);
    assert.deepEqual(ids('members (seeds 000–004)'), ['seed 000', 'seed 001', 'seed 002', 'seed 003', 'seed 004']);
    assert.deepEqual(ids('seeds 000, 002 and 004; seed 000 to seed 002'), ['seed 000', 'seed 002', 'seed 004', 'seed 000', 'seed 001', 'seed 002']);
    assert.deepEqual(ids('rules (T1–T20); "rules": ["T14", "T2"]; T8: the manager'), ['T1', 'T20', 'T14', 'T2', 'T8']);
  });

  it('ignores timestamps and the seeds of random runs', () => {
    const text = '"2020-01-01T10:00:00Z", `${day}T12:00:00+02:00`, npm run fuzz -- --seed 42, failed with seed 1791168993 (seed 2)';
    assert.deepEqual(citationsIn(text), []);
  });

  it('flags paths and documents outside the repository, issue numbers and the brief', () => {
    // Each line is built from parts, so that this file itself cites nothing the checker forbids.
    const up = ['..', '..', ''].join('/');
    const text = [`see ${up}elsewhere/x.md`, ['idp-behaviors', 'md §3.5'].join('.'), ['scim', 'checklist N4'].join('-'), ['the brief', 's targets'].join("'"), `(${'issue'} 4, item 6)`].join('\n');
    assert.deepEqual([...new Set(forbiddenIn(text, 'docs/api.md').map((found) => found.line))].sort(), [1, 2, 3, 4, 5]);
    assert.deepEqual(forbiddenIn('a token issued 3 times, briefly away; see ../events.md', 'docs/idp/okta.md'), []);
  });

  it('resolves anchors as GitHub makes them, and refuses missing ones', () => {
    assert.equal(slug('seed 002 — a client platform whose groups become roles'), 'seed-002--a-client-platform-whose-groups-become-roles');
    assert.equal(slug('A request, end to end'), 'a-request-end-to-end');
    assert.equal(targetProblem('.', 'docs/idp-rules.md#okta'), undefined);
    assert.match(targetProblem('.', 'docs/idp-rules.md#no-such-heading') ?? '', /no heading/);
    assert.match(targetProblem('.', 'docs/no-such-file.md') ?? '', /no such file/);
  });
});

describe('references in the repository', () => {
  it('scans code, tests, fixtures and docs, and finds the citations they hold', () => {
    for (const file of ['src/scim/patch/apply.ts', 'test/idp/fixtures/entra.json', 'docs/policies.md', 'README.md']) assert.ok(files.includes(file), file);
    const cited = files.flatMap((file) => citationsIn(readFileSync(join(ROOT, file), 'utf8')));
    assert.ok(cited.some((citation) => citation.kind === 'seed'), 'no seed citation found: the scanner is broken');
    assert.ok(cited.some((citation) => citation.kind === 'rule'), 'no rule citation found: the scanner is broken');
  });

  it('defines each seed and rule once, with every column of its row filled', () => {
    assert.ok(definitions.seeds.size > 0 && definitions.rules.size > 0);
    const rules = readFileSync(join(ROOT, 'docs', 'idp-rules.md'), 'utf8');
    for (const id of definitions.rules) {
      const rows = rules.split('\n').filter((line) => line.startsWith(`| ${id} |`));
      assert.equal(rows.length, 1, `${id} is defined ${rows.length} times`);
      const cells = (rows[0] ?? '').split(' | ');
      assert.ok(cells.length >= 5 && cells.every((cell) => cell.replace(/\|/g, '').trim() !== ''), `${id}: an empty column`);
    }
  });

  it('resolves every seed and IdP rule cited to its definition in docs/', () => {
    const problems = findings((file, text) =>
      unresolved(citationsIn(text), definitions).map((citation) => ({
        file,
        line: citation.line,
        problem: `${citation.id} is not defined in ${citation.kind === 'seed' ? 'docs/requirements.md (a "## seed NNN" heading)' : 'docs/idp-rules.md (a "| Tn |" row)'}`,
      })),
    );
    assert.deepEqual(problems, []);
  });

  it('resolves every docs/ path and #anchor cited', () => {
    const problems = findings((file, text) =>
      [...text.matchAll(DOCS_PATH)].flatMap((match) => {
        const problem = targetProblem('.', match[0]);
        return problem === undefined ? [] : [{ file, line: lineAt(text, match.index), problem }];
      }),
    );
    assert.deepEqual(problems, []);
  });

  it('resolves every relative link of the markdown files', () => {
    const problems = findings((file, text) => {
      if (!file.endsWith('.md')) return [];
      const markdown = withoutCodeBlocks(text);
      return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].flatMap((match) => {
        const target = match[1] ?? '';
        if (/^[a-z]+:/i.test(target)) return [];
        const problem = target.startsWith('#') ? targetProblem('.', `${file}${target}`) : targetProblem(dirname(file), target);
        return problem === undefined ? [] : [{ file, line: lineAt(text, match.index), problem }];
      });
    });
    assert.deepEqual(problems, []);
  });

  it('cites nothing outside the repository', () => {
    const problems = findings((file, text) => forbiddenIn(text, file).map(({ line, what }) => ({ file, line, problem: what })));
    assert.deepEqual(problems, []);
  });
});
