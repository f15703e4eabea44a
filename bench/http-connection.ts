import { connect, type Socket } from 'node:net';

/** One request of the load generator. Header lines common to a run are given to the connection. */
export interface HttpRequest {
  readonly method: string;
  /** Path and query string, already encoded. */
  readonly path: string;
  readonly body?: string;
}

/** A response, with the body only when it was asked for. */
export interface HttpResponse {
  readonly status: number;
  /** Body bytes received (after de-chunking). */
  readonly bytes: number;
  readonly body: string | undefined;
  /** ms from the request's write to the first byte of the response. */
  readonly firstByteMs: number;
}

type Phase = 'idle' | 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer';

interface Pending {
  readonly keepBody: boolean;
  readonly sentAt: number;
  firstByteAt: number;
  readonly resolve: (response: HttpResponse) => void;
  readonly reject: (error: Error) => void;
}

const EMPTY = Buffer.alloc(0);

/**
 * A minimal HTTP/1.1 keep-alive client connection over a raw socket: one request at a time,
 * Content-Length and chunked responses. Far cheaper per request than node:http, so that on a
 * two-core machine the load generator, not the server, is rarely the limit.
 */
export class HttpConnection {
  private buffer: Buffer = EMPTY;
  private phase: Phase = 'idle';
  private pending: Pending | undefined;
  private status = 0;
  private remaining = 0;
  private bytes = 0;
  private chunks: Buffer[] = [];
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly prefix: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => {
      this.closed = true;
      this.fail(new Error('connection closed by the server'));
    });
  }

  /** Opens a connection; `headerLines` (each ending in \r\n) go into every request. */
  static open(host: string, port: number, headerLines: string): Promise<HttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new HttpConnection(socket, `host: ${host}:${port}\r\n${headerLines}`));
      });
    });
  }

  /** Sends one request and resolves with its response (rejects on a broken connection). */
  send(request: HttpRequest, keepBody = false): Promise<HttpResponse> {
    if (this.pending !== undefined) return Promise.reject(new Error('a request is already in flight on this connection'));
    if (this.closed) return Promise.reject(new Error('connection is closed'));
    const head = `${request.method} ${request.path} HTTP/1.1\r\n${this.prefix}`;
    const text =
      request.body === undefined ? `${head}\r\n` : `${head}content-type: application/scim+json\r\ncontent-length: ${Buffer.byteLength(request.body)}\r\n\r\n${request.body}`;
    return new Promise((resolve, reject) => {
      this.pending = { keepBody, sentAt: performance.now(), firstByteAt: 0, resolve, reject };
      this.phase = 'head';
      this.socket.write(text);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    this.phase = 'idle';
    pending?.reject(error);
  }

  private onData(data: Buffer): void {
    if (this.pending !== undefined && this.pending.firstByteAt === 0) this.pending.firstByteAt = performance.now();
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    try {
      this.parse();
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      this.socket.destroy();
    }
  }

  private take(count: number): void {
    const part = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    this.bytes += part.length;
    // Error bodies are kept too, for the report.
    if (this.pending?.keepBody === true || this.status >= 300) this.chunks.push(part);
  }

  private parse(): void {
    for (;;) {
      switch (this.phase) {
        case 'idle':
          this.buffer = EMPTY;
          return;
        case 'head': {
          const end = this.buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          this.readHead(this.buffer.toString('latin1', 0, end));
          this.buffer = this.buffer.subarray(end + 4);
          break;
        }
        case 'body': {
          const count = Math.min(this.remaining, this.buffer.length);
          this.take(count);
          this.remaining -= count;
          if (this.remaining > 0) return;
          this.finish();
          break;
        }
        case 'chunk-size': {
          const eol = this.buffer.indexOf('\r\n');
          if (eol < 0) return;
          const size = Number.parseInt(this.buffer.toString('latin1', 0, eol).split(';')[0] ?? '', 16);
          if (!Number.isInteger(size) || size < 0) throw new Error('bad chunk size');
          this.buffer = this.buffer.subarray(eol + 2);
          this.remaining = size;
          this.phase = size === 0 ? 'trailer' : 'chunk-data';
          break;
        }
        case 'chunk-data': {
          if (this.buffer.length === 0) return;
          const count = Math.min(this.remaining, this.buffer.length);
          this.take(count);
          this.remaining -= count;
          if (this.remaining > 0) return;
          this.phase = 'chunk-end';
          break;
        }
        case 'chunk-end':
          if (this.buffer.length < 2) return;
          this.buffer = this.buffer.subarray(2);
          this.phase = 'chunk-size';
          break;
        case 'trailer': {
          const eol = this.buffer.indexOf('\r\n');
          if (eol < 0) return;
          this.buffer = this.buffer.subarray(eol + 2);
          if (eol === 0) this.finish();
          break;
        }
      }
    }
  }

  private readHead(head: string): void {
    this.status = Number(head.slice(9, 12));
    this.bytes = 0;
    this.chunks = [];
    const lower = head.toLowerCase();
    if (this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200)) {
      this.phase = 'idle';
      this.finish();
      return;
    }
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(lower)) {
      this.phase = 'chunk-size';
      return;
    }
    const length = /\r\ncontent-length:\s*(\d+)/.exec(lower);
    if (length?.[1] === undefined) throw new Error('response without content-length or chunked encoding');
    this.remaining = Number(length[1]);
    this.phase = 'body';
  }

  private finish(): void {
    const pending = this.pending;
    this.pending = undefined;
    this.phase = 'idle';
    if (pending === undefined) return;
    const body = pending.keepBody || this.status >= 300 ? Buffer.concat(this.chunks).toString('utf8') : undefined;
    this.chunks = [];
    const firstByteAt = pending.firstByteAt === 0 ? performance.now() : pending.firstByteAt;
    pending.resolve({ status: this.status, bytes: this.bytes, body, firstByteMs: firstByteAt - pending.sentAt });
  }
}
