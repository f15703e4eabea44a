// A real `roster serve` process for the crash tests: started on a data directory (SQLite) or
// a DATABASE_URL (PostgreSQL), killed with SIGKILL, started again on the same database.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

const ENTRY = join(import.meta.dirname, '..', 'support', 'cli-entry.ts');

export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly origin: string;
  /** The banner: on a new database (--demo) it names the demo tenant's base URL and token. */
  readonly banner: string;
}

/** Starts `roster serve --demo --port 0` and resolves once its banner is out. */
export function serve(env: { ROSTER_DATA_DIR: string; DATABASE_URL: string }): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve', '--demo', '--port', '0'], {
    env: { ...process.env, ROSTER_LOG_LEVEL: 'silent', ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`roster serve did not start: ${out}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const origin = /Health:\s+(\S+)\/healthz/.exec(out)?.[1];
      if (origin === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, origin, banner: out });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`roster serve exited with ${String(code)}: ${out}`));
    });
  });
}

/** SIGKILL, and resolves once the process is gone: no shutdown code runs. */
export function kill(server: ServeProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

/** SIGTERM (a clean stop), resolving when it exits. */
export function stop(server: ServeProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}
