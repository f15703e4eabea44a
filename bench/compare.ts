/**
 * `npm run bench:compare -- BEFORE.json AFTER.json`: the before-and-after table of two
 * reports `npm run bench` wrote earlier (the same table `--baseline` adds to a run).
 */
import { readFileSync } from 'node:fs';
import { asComparableRun, compareWithBaseline, loadBaseline, renderBaseline } from './baseline.js';

const [beforePath, afterPath, ...rest] = process.argv.slice(2);
if (beforePath === undefined || afterPath === undefined || rest.length > 0) {
  process.stderr.write('usage: npm run bench:compare -- BEFORE.json AFTER.json\n');
  process.exitCode = 2;
} else {
  try {
    const after = asComparableRun(JSON.parse(readFileSync(afterPath, 'utf8')), afterPath);
    process.stdout.write(renderBaseline(compareWithBaseline(loadBaseline(beforePath), after)).join('\n') + '\n');
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
