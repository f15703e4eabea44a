// `npm run fuzz -- --runs 5000 --seed 42 [--only model]`: the fuzz suites (test/fuzz/) with
// many more runs than `npm test` gives them. A failure prints fast-check's seed and shrunk
// counterexample; run again with that --seed to replay it.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2000' },
    seed: { type: 'string' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive whole number, got ${values.runs}`);
  process.exit(2);
}
const seed = values.seed ?? String(Date.now() % 2_147_483_647);
console.log(`fuzz: ${runs} runs per property, seed ${seed}`);
const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', `test/fuzz/${values.only ?? ''}`], {
  stdio: 'inherit',
  env: { ...process.env, ROSTER_FUZZ_RUNS: String(runs), ROSTER_FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
