import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIST } from '../../src/http/console/assets.js';

const ROOT = join(import.meta.dirname, '..', '..');
const WEB = join(ROOT, 'web');

/** The newest modification time among the console's sources. */
function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

/**
 * Builds the console (web/ → web/dist) when it is missing or older than its sources: `npm ci`
 * builds it through the prepare script, but a developer who edited web/ may not have since.
 */
export function ensureConsoleBuilt(): void {
  const index = join(CONSOLE_DIST, 'index.html');
  const sources = Math.max(newestSource(join(WEB, 'src')), newestSource(join(WEB, 'public')), newestSource(join(WEB, 'index.html')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  process.stdout.write('# building the admin console (npm run build:web)…\n');
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB, 'vite.config.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the admin console failed');
}
