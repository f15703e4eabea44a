import { Histogram, type LatencySummary } from './histogram.js';
import { HttpConnection, type HttpRequest, type HttpResponse } from './http-connection.js';

/** A server to send requests to. */
export interface Target {
  readonly host: string;
  readonly port: number;
}

/** The next request of a connection, and what to do with its response. */
export interface Planned {
  readonly request: HttpRequest;
  /** Requests are also summarised per tag (e.g. the add and the remove of a membership pair). */
  readonly tag?: string;
  /** Statuses that count as success (default: any 2xx). */
  readonly expect?: readonly number[];
  /** Keep the body of a successful response for `after` (costs client CPU; only when the next request needs it). */
  readonly keepBody?: boolean;
  readonly after?: (response: HttpResponse) => void;
}

/** A closed-loop run: `connections` connections, each sending its next request when the previous one answered. */
export interface LoadSpec {
  /** Connection i talks to targets[i % targets.length] (round-robin over server processes). */
  readonly targets: readonly Target[];
  /** Header lines (each ending in \r\n) sent with every request. */
  readonly headers: string;
  readonly connections: number;
  readonly durationMs: number;
  /** Stop after this many requests in all, even before the duration is over. */
  readonly maxRequests?: number;
  /** The next request of connection `connection`. */
  next(connection: number): Planned;
}

/** Figures of one tag. */
export interface TagResult {
  readonly requests: number;
  readonly perSecond: number;
  readonly latency: LatencySummary;
}

/** What a run measured. Latencies are of successful requests. */
export interface LoadResult {
  readonly seconds: number;
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  /** Successful requests per second. */
  readonly perSecond: number;
  readonly latency: LatencySummary;
  readonly firstByte: LatencySummary;
  readonly tags: Readonly<Record<string, TagResult>>;
  readonly statuses: Readonly<Record<string, number>>;
  /** The first failure, for the report. */
  readonly firstError?: string;
  readonly bodyBytes: number;
}

/** Extra time after the duration for requests still in flight, before connections are cut (reported as errors). */
const GRACE_MS = 300_000;

class Recorder {
  readonly all = new Histogram();
  readonly firstByte = new Histogram();
  readonly tags = new Map<string, Histogram>();
  readonly statuses = new Map<string, number>();
  requests = 0;
  ok = 0;
  bodyBytes = 0;
  firstError: string | undefined;

  success(planned: Planned, response: HttpResponse, ms: number): void {
    this.ok += 1;
    this.all.record(ms);
    this.firstByte.record(response.firstByteMs);
    this.bodyBytes += response.bytes;
    if (planned.tag !== undefined) {
      let histogram = this.tags.get(planned.tag);
      if (histogram === undefined) this.tags.set(planned.tag, (histogram = new Histogram()));
      histogram.record(ms);
    }
  }

  status(key: string): void {
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }

  error(message: string): void {
    this.firstError ??= message;
  }
}

async function lane(index: number, spec: LoadSpec, deadline: number, recorder: Recorder, open: Set<HttpConnection>): Promise<void> {
  const target = spec.targets[index % spec.targets.length];
  if (target === undefined) throw new Error('no target');
  let connection = await HttpConnection.open(target.host, target.port, spec.headers);
  open.add(connection);
  while (performance.now() < deadline && (spec.maxRequests === undefined || recorder.requests < spec.maxRequests)) {
    const planned = spec.next(index);
    recorder.requests += 1;
    const sent = performance.now();
    let response: HttpResponse;
    try {
      response = await connection.send(planned.request, planned.keepBody === true);
    } catch (error) {
      recorder.status('connection error');
      recorder.error(`${planned.request.method} ${planned.request.path}: ${error instanceof Error ? error.message : String(error)}`);
      open.delete(connection);
      connection.close();
      if (performance.now() >= deadline) return;
      connection = await HttpConnection.open(target.host, target.port, spec.headers);
      open.add(connection);
      continue;
    }
    const ms = performance.now() - sent;
    recorder.status(String(response.status));
    const good = planned.expect === undefined ? response.status >= 200 && response.status < 300 : planned.expect.includes(response.status);
    if (good) recorder.success(planned, response, ms);
    else recorder.error(`${planned.request.method} ${planned.request.path.slice(0, 200)} → ${response.status} ${response.body?.slice(0, 300) ?? ''}`);
    planned.after?.(response);
  }
  open.delete(connection);
  connection.close();
}

function tagResults(recorder: Recorder, seconds: number): Record<string, TagResult> {
  const out: Record<string, TagResult> = {};
  for (const [tag, histogram] of recorder.tags) out[tag] = { requests: histogram.count, perSecond: histogram.count / seconds, latency: histogram.summary() };
  return out;
}

/** Runs a closed-loop load and returns its figures. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const recorder = new Recorder();
  const open = new Set<HttpConnection>();
  const started = performance.now();
  const deadline = started + spec.durationMs;
  const guard = setTimeout(() => {
    recorder.error(`requests still in flight ${GRACE_MS / 1000} s after the end of the run were cut off`);
    for (const connection of open) connection.close();
  }, spec.durationMs + GRACE_MS);
  try {
    await Promise.all(Array.from({ length: spec.connections }, (_, index) => lane(index, spec, deadline, recorder, open)));
  } finally {
    clearTimeout(guard);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    requests: recorder.requests,
    ok: recorder.ok,
    errors: recorder.requests - recorder.ok,
    perSecond: recorder.ok / seconds,
    latency: recorder.all.summary(),
    firstByte: recorder.firstByte.summary(),
    tags: tagResults(recorder, seconds),
    statuses: Object.fromEntries(recorder.statuses),
    ...(recorder.firstError === undefined ? {} : { firstError: recorder.firstError }),
    bodyBytes: recorder.bodyBytes,
  };
}
