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

const filter = process.argv.slice(2);
let files = [...findTests('src', []), ...findTests('test', [])].sort();
if (filter.length > 0) files = files.filter((f) => filter.some((part) => f.includes(part)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  // The suites' webhook receivers listen on 127.0.0.1, which Roster refuses by default (an
  // SSRF guard); the tests that check that refusal turn it back off for themselves.
  { stdio: 'inherit', env: { ...process.env, ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true' } },
);
process.exit(result.status ?? 1);
