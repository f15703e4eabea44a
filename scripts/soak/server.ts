import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./roster-entry.ts', import.meta.url));

/** A running `roster serve` and what its start-up banner told. */
export interface SoakServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly origin: string;
  readonly baseUrl: string;
  readonly token: string;
  /** Lines the server wrote to stderr (warnings, errors), for the report. */
  readonly stderr: string[];
  stop(): Promise<void>;
}

/**
 * Starts `roster serve --demo` on a free port with the given environment and waits for its banner,
 * which on a new data directory names the demo tenant's base URL and token.
 */
export function startServer(env: NodeJS.ProcessEnv): Promise<SoakServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve', '--demo', '--port', '0'], {
    env: { ...process.env, ROSTER_LOG_LEVEL: 'warn', ...env },
  });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') stderr.push(line);
  });
  return new Promise((resolve, reject) => {
    let banner = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`roster serve did not start: ${banner}${stderr.join('\n')}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`roster serve exited with ${String(code)}: ${banner}${stderr.join('\n')}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (!banner.includes('Health:')) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      const baseUrl = /SCIM base URL:\s+(\S+)/.exec(banner)?.[1];
      const token = /Token:\s+(rst_\S+)/.exec(banner)?.[1];
      const origin = /Health:\s+(\S+)\/healthz/.exec(banner)?.[1];
      if (baseUrl === undefined || token === undefined || origin === undefined) {
        child.kill('SIGKILL');
        reject(new Error(`the banner names no demo tenant (is the database new?):\n${banner}`));
        return;
      }
      resolve({
        child,
        origin,
        baseUrl,
        token,
        stderr,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
export function cpuMillis(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
