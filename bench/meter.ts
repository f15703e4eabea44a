/**
 * The IPC protocol between the benchmark and the servers it starts, and the server side of
 * it. A server reports its CPU time and memory when asked, so that the benchmark can give
 * CPU time per request and the peak RSS of each scenario. This lives only in the benchmark's
 * entry scripts, never in the product.
 */

/** Start-up milestones, in ms since the process started (performance.now()). */
export interface StartTimings {
  readonly modulesLoadedMs: number;
  readonly storeReadyMs: number;
  readonly listeningMs: number;
}

/** A server's counters at one instant, and its peak RSS since the previous sample. */
export interface MeterSample {
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly rssBytes: number;
  /** Highest RSS seen (sampled every 10 ms) since the previous `mark`. */
  readonly peakRssBytes: number;
  /** The process's peak RSS over its whole life (getrusage maxrss). */
  readonly maxRssBytes: number;
  readonly heapUsedBytes: number;
}

/** Messages from the benchmark to a server. */
export interface MeteredServer {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** CPU and memory counters now; undefined when they cannot be read (then CPU is unknown). */
  mark(): Promise<MeterSample | undefined>;
}

export type ParentMessage = { readonly type: 'mark' } | { readonly type: 'stop' };

/** Messages from a server to the benchmark. */
export type ChildMessage =
  | { readonly type: 'ready'; readonly port: number; readonly timings: StartTimings }
  | ({ readonly type: 'sample' } & MeterSample)
  | { readonly type: 'failed'; readonly message: string };

const SAMPLE_INTERVAL_MS = 10;

function send(message: ChildMessage): void {
  process.send?.(message);
}

/**
 * Called by a server entry once it listens: tells the benchmark its port and start-up
 * timings, then answers `mark` with a sample and `stop` by running `stop` and exiting.
 */
export function reportReady(port: number, timings: StartTimings, stop: () => Promise<void>): void {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_INTERVAL_MS);
  timer.unref();
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'mark') {
      const cpu = process.cpuUsage();
      const rss = process.memoryUsage.rss();
      send({
        type: 'sample',
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        rssBytes: rss,
        peakRssBytes: Math.max(peak, rss),
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapUsedBytes: process.memoryUsage().heapUsed,
      });
      peak = rss;
    } else {
      clearInterval(timer);
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  send({ type: 'ready', port, timings });
}

/** Reports a start-up failure to the benchmark and exits. */
export function reportFailure(error: unknown): void {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
}
