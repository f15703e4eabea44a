import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ipLiteral, nonPublicRange } from './target-address.js';
import { readLimited, responseExcerpt } from './response-excerpt.js';
import { parseRetryAfter } from './retry-policy.js';

/** Resolves a host name to its addresses (dns.lookup with `all`); tests may stand in a DNS. */
export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error === null ? resolve(addresses) : reject(error)));
  });

export interface TransportOptions {
  /** Whether targets on loopback, private and other non-public addresses are allowed (ROSTER_WEBHOOK_ALLOW_PRIVATE). */
  readonly allowPrivateTargets: boolean;
  /** Per-try limit from the request to the last byte read; default 10,000 ms. */
  readonly timeoutMs?: number;
  readonly resolve?: Resolve;
}

/** What one HTTP attempt gave. */
export type SendResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status: number | null; readonly error: string; readonly retryAfterMs?: number };

class TimeoutError extends Error {}

/** A target refused by the address policy (code for callers, message for the dead-letter list). */
export class TargetRefused extends Error {
  readonly code = 'ERR_WEBHOOK_TARGET_NOT_PUBLIC';
}

export function refusalMessage(host: string, address: string, range: string): string {
  const which = host === address ? address : `${host} (${address})`;
  return `${which} is ${range}, not a public address; set ROSTER_WEBHOOK_ALLOW_PRIVATE=true to allow private targets`;
}

/**
 * A net.connect lookup that resolves through `resolve` and refuses the connection when any
 * address is not public: the check happens where the socket is opened, after the last DNS
 * answer, so no later answer can slip past it.
 */
export function guardedLookup(resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const { address } of addresses) {
          const range = nonPublicRange(address);
          if (range !== undefined) return callback(new TargetRefused(refusalMessage(hostname, address, range)), '', 0);
        }
        const [first] = addresses;
        if (first === undefined) return callback(new TargetRefused(`${hostname} has no address`), '', 0);
        // net.connect asks for every address when it tries them in turn (autoSelectFamily).
        if (options.all === true) return (callback as unknown as (error: null, addresses: readonly LookupAddress[]) => void)(null, addresses);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/**
 * Sends webhook POSTs. Every connection's address is checked where the socket is opened:
 * the agents resolve names with a lookup that refuses non-public addresses, so a name that
 * resolved to a public address when the endpoint was registered and to 127.0.0.1 now (DNS
 * rebinding) is refused, and IP literals are checked before connecting. A receiver's answer
 * is read up to a few KiB and the connection then dropped: a receiver cannot make Roster
 * hold a large body in memory, however many deliveries run at once.
 */
export class WebhookTransport {
  private readonly timeoutMs: number;
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(private readonly options: TransportOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const lookup = options.allowPrivateTargets ? undefined : guardedLookup(options.resolve ?? systemResolve);
    const agentOptions = { keepAlive: true, timeout: 30_000, ...(lookup === undefined ? {} : { lookup }) };
    this.http = new HttpAgent(agentOptions);
    this.https = new HttpsAgent(agentOptions);
  }

  /** POSTs `body` to `url` with `headers`; any 2xx is success. Redirects are not followed. */
  async post(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const target = new URL(url);
    const literal = ipLiteral(target.hostname);
    const range = literal === undefined || this.options.allowPrivateTargets ? undefined : nonPublicRange(literal);
    if (literal !== undefined && range !== undefined) return { ok: false, status: null, error: `refused: ${refusalMessage(literal, literal, range)}` };
    try {
      const { response, excerpt } = await this.exchange(target, headers, body);
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return { ok: true, status };
      const retryAfterMs = parseRetryAfter(singleHeader(response.headers['retry-after']));
      return { ok: false, status, error: `HTTP ${status}${excerpt === '' ? '' : `: ${excerpt}`}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    } catch (error) {
      if (error instanceof TargetRefused) return { ok: false, status: null, error: `refused: ${error.message}` };
      if (error instanceof TimeoutError) return { ok: false, status: null, error: `no answer within ${this.timeoutMs} ms` };
      return { ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private exchange(target: URL, headers: Record<string, string>, body: string): Promise<{ response: IncomingMessage; excerpt: string }> {
    const secure = target.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    const payload = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const request = send(target, { method: 'POST', agent: secure ? this.https : this.http, headers: { ...headers, 'content-length': String(payload.length) } });
      // One deadline for connecting, sending and reading the answer.
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy();
      }, this.timeoutMs);
      const fail = (error: unknown): void => {
        clearTimeout(timer);
        reject(timedOut ? new TimeoutError() : error instanceof Error ? error : new Error(String(error)));
      };
      request.on('error', fail);
      request.on('response', (response) => {
        readLimited(response).then((bytes) => {
          clearTimeout(timer);
          resolve({ response, excerpt: responseExcerpt(bytes) });
        }, fail);
      });
      request.end(payload);
    });
  }

  /** Closes idle kept-alive connections. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

function singleHeader(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
