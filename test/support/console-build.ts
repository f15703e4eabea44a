import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIST } from '../../src/http/console/assets.js';

const ROOT = join(import.meta.dirname, '..', '..');
const WEB = join(ROOT, 'web');
const LOCK = join(WEB, '.build-lock');

/** The newest modification time among the console's sources. */
function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

function fresh(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  const sources = Math.max(newestSource(join(WEB, 'src')), newestSource(join(WEB, 'public')), newestSource(join(WEB, 'index.html')));
  return existsSync(index) && statSync(index).mtimeMs >= sources;
}

/** Holds a directory lock while `work` runs: test files run in parallel processes, and two builds into one folder would clash. */
function withLock(work: () => void): void {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${LOCK} is held: another build hangs, or a stale lock is left (remove it)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    work();
  } finally {
    rmdirSync(LOCK);
  }
}

/**
 * Builds the console (web/ → web/dist) when it is missing or older than its sources: `npm ci`
 * builds nothing (the package builds on `npm pack` and `npm start`), and a developer who
 * edited web/ may not have built since.
 */
export function ensureConsoleBuilt(): void {
  if (fresh()) return;
  withLock(() => {
    if (fresh()) return;
    process.stdout.write('# building the admin console (npm run build:web)…\n');
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB, 'vite.config.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('building the admin console failed');
  });
}
