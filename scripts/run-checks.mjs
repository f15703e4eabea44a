// `npm test`'s first half: type-check and lint. Each check is one single-threaded process, so
// they run two at a time (these machines have two cores), longest first, and each one's output
// is printed whole when it ends. Any failure fails the run, after every check has finished.
import { spawn } from 'node:child_process';

const CHECKS = [
  ['eslint', ['eslint', '.']],
  ['knip', ['knip']],
  ['typecheck (server, tests, client)', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['typecheck (console)', ['tsc', '--noEmit', '-p', 'web/tsconfig.json']],
  ['layers (dependency-cruiser)', ['depcruise', 'src', 'web/src', 'test', 'bench', 'scripts', 'packages/client/src', '--config', 'dependency-cruiser.config.js']],
];
const PARALLEL = 2;

function runCheck([name, [bin, ...args]]) {
  const began = Date.now();
  return new Promise((resolve) => {
    const child = spawn(`node_modules/.bin/${bin}`, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('close', (code) => {
      const seconds = ((Date.now() - began) / 1000).toFixed(0);
      console.log(`${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)`);
      if (output.trim() !== '') console.log(output.trimEnd());
      resolve(code === 0);
    });
  });
}

const queue = [...CHECKS];
const results = [];
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    for (let check = queue.shift(); check !== undefined; check = queue.shift()) results.push(await runCheck(check));
  }),
);
process.exit(results.every(Boolean) ? 0 : 1);
