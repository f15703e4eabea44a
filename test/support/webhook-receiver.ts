import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AdminApi } from './admin-client.js';

/** One request the receiver got. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The status it answered. */
  readonly status: number;
  readonly event: { readonly id: string; readonly seq: number; readonly type: string; readonly resource: { readonly id: string } };
}

/** A real HTTP receiver on 127.0.0.1 for webhook tests; `answer` decides each status. */
export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Returns the status for the n-th request (0-based); default 200. */
  answer: (index: number, body: string, headers: IncomingHttpHeaders) => number;
  /** Milliseconds to wait before answering. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let server: Server | undefined = undefined;
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: () => 200,
    delayMs: 0,
    close: async () => {
      server?.closeAllConnections();
      server?.close();
      if (server !== undefined) await once(server, 'close');
    },
  };
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = receiver.answer(receiver.received.length, body, request.headers);
      receiver.received.push({ headers: request.headers, body, status, event: JSON.parse(body) as Received['event'] });
      setTimeout(() => {
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'failing on purpose');
      }, receiver.delayMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return Object.assign(receiver, { url: `http://127.0.0.1:${address.port}/hooks` });
}

/** Polls `check` every 20 ms until it holds; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Deletes every webhook through the management API, so that the next test starts with none. */
export async function deleteAllWebhooks(api: AdminApi): Promise<void> {
  for (const hook of (await api('GET', '/webhooks')).body.webhooks as { id: string }[]) await api('DELETE', `/webhooks/${hook.id}`);
}
