// Runs every *.test.ts under test/ and src/ with node's test runner through tsx.
// Node 20's runner does not expand globs itself, so the file list is built here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// The runner keeps two files running at a time; a long file started last would run alone at
// the end, so these (each a minute or more on a 2-core machine) start first, longest first.
const SLOW_FIRST = [
  'test/cli/package-install.test.ts',
  'test/cli/cli.test.ts',
  'test/cli/operator-key-file.test.ts',
  'test/http/bulk.test.ts',
  'test/cli/serve.test.ts',
  'test/hardening/crash.test.ts',
  'test/browser/',
];
const rank = (file) => {
  const index = SLOW_FIRST.findIndex((prefix) => file.startsWith(prefix));
  return index === -1 ? SLOW_FIRST.length : index;
};

const filter = process.argv.slice(2);
let files = [...findTests('src', []), ...findTests('test', [])].sort();
if (filter.length > 0) files = files.filter((f) => filter.some((part) => f.includes(part)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
files = files.map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map(({ file }) => file);

// The CLI tests start `roster` dozens of times. From the bundle a start costs a tenth of the CPU
// of tsx compiling the sources each time, so the bundle is built once here, from today's
// sources, and ROSTER_TEST_BUNDLE tells test/support/cli.ts to use it.
console.log('bundling the CLI for the tests (scripts/bundle.mjs)');
const bundled = spawnSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
if (bundled.status !== 0) process.exit(bundled.status ?? 1);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  // The suites' webhook receivers listen on 127.0.0.1, which Roster refuses by default (an
  // SSRF guard); the tests that check that refusal turn it back off for themselves.
  { stdio: 'inherit', env: { ...process.env, ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true', ROSTER_TEST_BUNDLE: '1' } },
);
process.exit(result.status ?? 1);
