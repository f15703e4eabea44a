import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, MeteredServer, MeterSample, ParentMessage, StartTimings } from './meter.js';

const READY_TIMEOUT_MS = 120_000;
/** How long a busy server may take to answer a mark (its event loop can be blocked by a long request). */
const MARK_TIMEOUT_MS = 60_000;

/** A server process the benchmark started (Roster or hello-world), with its meter. */
export class ServerProcess implements MeteredServer {
  readonly host = '127.0.0.1';
  private waiting: ((sample: MeterSample | undefined) => void) | undefined;
  /** The last sample the server sent, for figures when it no longer answers. */
  lastSample: MeterSample | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly port: number,
    /** Wall time from spawn to the server's "listening" report. */
    readonly startupMs: number,
    readonly timings: StartTimings,
  ) {
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'sample') return;
      this.lastSample = message;
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.(message);
    });
    child.on('exit', () => {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.(undefined);
    });
  }

  /**
   * Starts `entry` (a TypeScript file in bench/, run through tsx) with `env` added to this
   * process's environment, and waits until it listens. With `cpuProfileDir`, the process
   * writes a V8 CPU profile there when it exits.
   */
  static start(name: string, entry: string, env: Readonly<Record<string, string | undefined>>, cpuProfileDir?: string): Promise<ServerProcess> {
    const path = fileURLToPath(new URL(entry, import.meta.url));
    const began = performance.now();
    const profile = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
    const child = fork(path, [], { execArgv: ['--import', 'tsx', ...profile], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s`));
      }, READY_TIMEOUT_MS);
      const onExit = (code: number | null): void => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with code ${String(code)} before it was ready`));
      };
      child.once('exit', onExit);
      const onMessage = (message: ChildMessage): void => {
        if (message.type === 'failed') {
          clearTimeout(timer);
          child.off('exit', onExit);
          reject(new Error(`${name} failed to start: ${message.message}`));
        } else if (message.type === 'ready') {
          clearTimeout(timer);
          child.off('exit', onExit);
          child.off('message', onMessage);
          resolve(new ServerProcess(name, child, message.port, performance.now() - began, message.timings));
        }
      };
      child.on('message', onMessage);
    });
  }

  /**
   * The server's CPU and memory counters now (and its peak RSS since the previous mark);
   * undefined when it does not answer within a minute (busy with a request that blocks its
   * event loop) or has exited.
   */
  mark(): Promise<MeterSample | undefined> {
    if (this.child.exitCode !== null || this.waiting !== undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        resolve(undefined);
      }, MARK_TIMEOUT_MS);
      this.waiting = (sample) => {
        clearTimeout(timer);
        resolve(sample);
      };
      this.child.send({ type: 'mark' } satisfies ParentMessage);
    });
  }

  /** Asks the server to close and waits for it to exit (killing it after 10 s). */
  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.send({ type: 'stop' } satisfies ParentMessage);
    });
  }
}
