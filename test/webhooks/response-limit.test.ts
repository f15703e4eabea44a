// A receiver's answer is read up to a few KiB and kept as a short, printable excerpt: a
// receiver streaming an endless body cannot make Roster read (and hold) it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { WebhookDispatcher } from '../../src/service/webhooks/dispatcher.js';
import { MAX_RESPONSE_BYTES, readLimited, responseExcerpt } from '../../src/service/webhooks/response-excerpt.js';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, type TestServer } from '../support/scim-client.js';
import { waitFor } from '../support/webhook-receiver.js';

/** A stream of `chunk`s without end that counts the bytes it handed out. */
function endless(chunk: Buffer): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = new Readable({
    read() {
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe('reading a receiver\'s answer', () => {
  it('stops pulling from an endless stream soon after the limit', async () => {
    const source = endless(Buffer.alloc(1024, 'x'));
    const bytes = await readLimited(source.stream);
    assert.equal(bytes.length, MAX_RESPONSE_BYTES);
    assert.ok(MAX_RESPONSE_BYTES <= 8192, 'a few KiB');
    // What the stream buffers ahead (its highWaterMark) is all it may have handed out beyond the limit.
    assert.ok(source.pulled() <= MAX_RESPONSE_BYTES + source.stream.readableHighWaterMark + 1024, `pulled ${source.pulled()} bytes`);
    assert.equal(source.stream.destroyed, true);
  });

  it('reads a short answer whole, and resolves when the stream closes early', async () => {
    assert.equal((await readLimited(Readable.from([Buffer.from('ok')]))).toString(), 'ok');
    const cut = new Readable({ read() {} });
    cut.push(Buffer.from('partial'));
    setImmediate(() => cut.destroy());
    assert.equal((await readLimited(cut)).toString(), 'partial');
  });

  it('keeps a short, printable excerpt: no control, escape or bidirectional characters', () => {
    assert.equal(responseExcerpt(Buffer.from('  Service\r\n\tUnavailable  ')), 'Service Unavailable');
    assert.equal(responseExcerpt(Buffer.from('\u001b[31mred\u001b[0m \u202eevil\u0000 \u00e9t\u00e9')), '[31mred [0m evil été');
    assert.equal(responseExcerpt(Buffer.from([0xff, 0xfe, 0x41])), '\ufffd\ufffdA', 'bytes that are not UTF-8 become replacement characters');
    const long = responseExcerpt(Buffer.from('y'.repeat(MAX_RESPONSE_BYTES)));
    assert.equal(long, `${'y'.repeat(200)}…`);
  });
});

/** A receiver that answers 500 with a body of up to 128 MiB, written as fast as the client reads it. */
async function streamingReceiver(): Promise<{ url: string; written: () => number; requests: () => number; close(): Promise<void> }> {
  let written = 0;
  let requests = 0;
  const chunk = Buffer.alloc(64 * 1024, '<html>error page</html>\n');
  const server: Server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(500, { 'content-type': 'text/html' });
      const pump = (): void => {
        while (written < 128 * 1024 * 1024 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      pump();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    written: () => written,
    requests: () => requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

for (const engine of testEngines()) {
  describe(`a receiver answering a huge body on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());

    it('costs a few KiB: the delivery fails with a short excerpt and the rest is never read', { timeout: 120_000 }, async () => {
      const receiver = await streamingReceiver();
      try {
        const created = await api('POST', '/webhooks', { url: receiver.url, tenantId: server.tenantId });
        const hookId = String(created.body.id);
        const dispatcher = new WebhookDispatcher(server.services.store, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 60_000 });
        await server.request('POST', '/Users', userBody('huge-answer@example.com'));
        type Letter = { lastStatus: number; lastError: string };
        const dead = async (): Promise<Letter[]> => (await api('GET', `/webhooks/${hookId}/deliveries?state=dead`)).body.deliveries as Letter[];
        await waitFor(async () => {
          await dispatcher.runOnce();
          return (await dead()).length > 0;
        }, 60_000, 'the failed delivery');
        await dispatcher.stop();
        const [letter] = await dead();
        assert.equal(letter?.lastStatus, 500);
        assert.equal(letter?.lastError, `HTTP 500: ${'<html>error page</html> '.repeat(10).slice(0, 200)}…`);
        const sent = await api('POST', `/webhooks/${hookId}/test`);
        assert.equal(sent.body.status, 500);
        assert.ok(String(sent.body.error).length <= 220);
        assert.equal(receiver.requests(), 2);
        // The receiver wrote what the sockets' buffers took before Roster hung up: megabytes at most, not 2 × 128 MiB.
        assert.ok(receiver.written() < 64 * 1024 * 1024, `the receiver wrote ${receiver.written()} bytes`);
      } finally {
        await receiver.close();
      }
    });
  });
}
