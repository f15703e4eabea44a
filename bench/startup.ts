import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'roster.js');
const BUILT = join(ROOT, 'dist', 'cli', 'main.js');

/** Start-ups of the built product (`node bin/roster.js serve`), as users run it. */
export interface ServeStartup {
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  /** When the build is older than some source file, the figure is of that older build. */
  readonly staleBuild: boolean;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function startOnce(env: NodeJS.ProcessEnv, dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let ready = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      output += text;
      if (ready === 0 && output.includes('Roster is listening')) {
        ready = performance.now() - began;
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      output += text;
    });
    child.once('exit', () => {
      clearTimeout(timer);
      if (ready > 0) resolve(ready);
      else reject(new Error(`roster serve did not start: ${output.slice(0, 500)}`));
    });
  });
}

/**
 * Times `node bin/roster.js serve` from spawn to its "Roster is listening" line, `runs`
 * times, on the benchmark's data. Undefined when the product has not been built.
 */
export async function measureServeStartup(dataDir: string, databaseUrl: string | undefined, runs = 3): Promise<ServeStartup | undefined> {
  if (!existsSync(BIN) || !existsSync(BUILT)) return undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, ROSTER_LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl ?? '' };
  const runsMs: number[] = [];
  for (let run = 0; run < runs; run += 1) runsMs.push(await startOnce(env, dataDir));
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { runsMs, medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, staleBuild: statSync(BUILT).mtimeMs < newestSource(join(ROOT, 'src')) };
}
