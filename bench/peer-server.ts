import type { MeteredServer, MeterSample } from './meter.js';
import type { PeerSpec } from './options.js';
import { readTreeUsage } from './process-cpu.js';

/**
 * A peer SCIM server given on the command line: where to send its requests, and its CPU time
 * read from /proc when its PID was given (the benchmark neither starts nor stops it).
 */
export class PeerServer implements MeteredServer {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Path prefix of its SCIM endpoints, without a trailing slash. */
  readonly base: string;
  readonly headers: string;
  /** Processes in the metered tree at the last mark (the PID and its live descendants). */
  processes = 0;

  constructor(readonly spec: PeerSpec) {
    this.name = spec.name;
    this.host = spec.url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = spec.url.port === '' ? 80 : Number(spec.url.port);
    this.base = spec.url.pathname.replace(/\/+$/, '');
    this.headers = `${spec.token === '' ? '' : `authorization: Bearer ${spec.token}\r\n`}accept: application/scim+json\r\n`;
  }

  /** The URL without credentials, for the report. */
  get url(): string {
    return this.spec.url.href.replace(/\/+$/, '');
  }

  /** What its CPU figures cover, for the report. */
  get cpuSource(): string {
    const pid = this.spec.pid;
    if (pid === undefined) return 'not measured (no PID given)';
    const tree = this.processes > 1 ? ` and its ${this.processes - 1} descendant process${this.processes > 2 ? 'es' : ''}` : ' (it had no child processes)';
    return `process ${pid}${tree}, all threads: utime + stime from /proc/PID/stat, plus cutime + cstime of exited children`;
  }

  /**
   * Its counters now. The peak RSS is the RSS at this instant (a peer is not sampled between
   * marks); `maxRssBytes` is the process's own lifetime peak (VmHWM).
   */
  mark(): Promise<MeterSample | undefined> {
    if (this.spec.pid === undefined) return Promise.resolve(undefined);
    const usage = readTreeUsage(this.spec.pid);
    if (usage === undefined) return Promise.resolve(undefined);
    this.processes = usage.processes;
    return Promise.resolve({
      cpuUserUs: usage.cpuUserUs,
      cpuSystemUs: usage.cpuSystemUs,
      rssBytes: usage.rssBytes,
      peakRssBytes: usage.rssBytes,
      maxRssBytes: usage.peakRssBytes,
      heapUsedBytes: Number.NaN,
    });
  }
}
