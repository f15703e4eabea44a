import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENTRY = join(import.meta.dirname, 'cli-entry.ts');
/** The product's own entry point, which runs the bundle that `npm run build:bundle` writes. */
const BUILT_ENTRY = join(import.meta.dirname, '..', '..', 'bin', 'roster.js');
/**
 * How to run the CLI from today's sources: scripts/run-tests.mjs bundles them once and sets
 * ROSTER_TEST_BUNDLE (a bundled start costs a tenth of the CPU of tsx compiling the sources);
 * a test file run on its own uses tsx.
 */
export const sourceBundled = process.env.ROSTER_TEST_BUNDLE === '1';
const SOURCE_COMMAND = sourceBundled ? [BUILT_ENTRY] : ['--import', 'tsx', ENTRY];

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'roster-test-'));
}

/** Runs `roster ARGS` to completion with the given data directory. */
export function runCli(args: readonly string[], dataDir: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [...SOURCE_COMMAND, ...args], {
    encoding: 'utf8',
    // A command that hangs (a `serve` expected to refuse to start) fails its test instead of the run.
    timeout: 180_000,
    env: { ...process.env, ROSTER_DATA_DIR: dataDir, DATABASE_URL: '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts `roster serve` and resolves once it has printed its start-up banner: from source, or
 * with `built`, as `npm start` runs it (bin/roster.js and the bundle). `env` adds to or
 * overrides the environment (SQLite in `dataDir` unless it sets DATABASE_URL).
 */
export function startServe(args: readonly string[], dataDir: string, options: { built?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ child: ChildProcessWithoutNullStreams; banner: string }> {
  const command = options.built === true ? [BUILT_ENTRY] : SOURCE_COMMAND;
  const child = spawn(process.execPath, [...command, 'serve', '--port', '0', ...args], {
    env: { ...process.env, ROSTER_DATA_DIR: dataDir, ROSTER_LOG_LEVEL: 'silent', DATABASE_URL: '', ...options.env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    // Generous: on a loaded 2-core machine the tsx start-up alone can take many seconds.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`roster serve did not start: ${out}`));
    }, 90_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Health:')) {
        clearTimeout(timer);
        resolve({ child, banner: out });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`roster serve exited with ${String(code)}: ${out}`));
    });
  });
}
