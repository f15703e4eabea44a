// Roster's webhooks are Standard Webhooks: checked against the `standardwebhooks` package (an
// implementation Roster does not share code with) in both directions, with a receiver that
// verifies real deliveries with it, and with the Python snippet docs/events.md gives.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { WebhookDispatcher } from '../../src/service/webhooks/dispatcher.js';
import { constructEvent, sign, verify, WebhookVerificationError, webhookHeaders, type WebhookEvent } from '../../src/service/webhooks/signature.js';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, type TestServer } from '../support/scim-client.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ schemaVersion: 1, id: 'evt-1', seq: 7, type: 'user.created', tenantId: 't', occurredAt: '2030-01-01T00:00:00.000Z', resource: { type: 'User', id: 'u' }, data: {} });
const nowMs = Date.parse('2030-01-01T00:00:00Z');
const nowSeconds = nowMs / 1000;

describe('Standard Webhooks signatures', () => {
  it('match the specification\'s reference implementation on a known message', () => {
    // The vector of the Standard Webhooks libraries' own tests.
    const reference = sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    assert.equal(reference, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('are accepted by the standardwebhooks package, and its signatures by Roster', () => {
    const headers = webhookHeaders(secret, 'evt-1', body);
    assert.deepEqual(Object.keys(headers).sort(), ['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    const theirs = new Webhook(secret).sign('msg_abc', new Date(nowMs), body);
    const event = constructEvent(body, { 'Webhook-Id': 'msg_abc', 'Webhook-Timestamp': String(nowSeconds), 'Webhook-Signature': theirs }, secret, { now: nowMs });
    assert.equal(event.type, 'user.created');
    assert.equal(verify(Buffer.from(body), new Headers({ 'webhook-id': 'msg_abc', 'webhook-timestamp': String(nowSeconds), 'webhook-signature': theirs }), secret, { now: nowMs }), true);
  });

  it('fail with another secret, another body, id or timestamp, and outside the tolerance', () => {
    const headers = webhookHeaders(secret, 'evt-1', body, nowSeconds);
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    assert.equal(verify(body, headers, secret, { now: nowMs }), true);
    assert.equal(verify(body, headers, other, { now: nowMs }), false);
    assert.equal(verify(`${body} `, headers, secret, { now: nowMs }), false);
    assert.equal(verify(body, { ...headers, 'webhook-id': 'evt-2' }, secret, { now: nowMs }), false);
    assert.equal(verify(body, { ...headers, 'webhook-timestamp': String(nowSeconds + 1) }, secret, { now: nowMs }), false);
    assert.equal(verify(body, headers, secret, { now: nowMs + 301_000 }), false, 'a replay after 5 minutes');
    assert.equal(verify(body, headers, secret, { now: nowMs - 301_000 }), false, 'a timestamp from the future');
    assert.equal(verify(body, headers, secret, { now: nowMs + 299_000 }), true);
    assert.equal(verify(body, headers, secret, { now: nowMs + 3_000_000, toleranceSeconds: 3600 }), true);
    assert.equal(verify(body, { 'webhook-id': 'evt-1', 'webhook-timestamp': String(nowSeconds) }, secret, { now: nowMs }), false);
  });

  it('take any of several secrets (rotation) and any of several signatures in the header', () => {
    const headers = webhookHeaders(secret, 'evt-1', body, nowSeconds);
    const other = `whsec_${randomBytes(24).toString('base64')}`;
    assert.equal(verify(body, headers, [other, secret], { now: nowMs }), true);
    const both = `${sign(other, 'evt-1', nowSeconds, body)} v1a,c2lnbmF0dXJl ${headers['webhook-signature'] ?? ''}`;
    assert.equal(verify(body, { ...headers, 'webhook-signature': both }, secret, { now: nowMs }), true);
    assert.equal(verify(body, { ...headers, 'webhook-signature': both.replace(/v1,/g, 'v2,') }, secret, { now: nowMs }), false);
  });

  it('say why in constructEvent, and refuse a malformed secret loudly', () => {
    const headers = webhookHeaders(secret, 'evt-1', body, nowSeconds);
    assert.throws(() => constructEvent(body, headers, secret, { now: nowMs + 600_000 }), (error: unknown) => error instanceof WebhookVerificationError && /more than 300 s from now/.test(error.message));
    assert.throws(() => constructEvent(body, {}, secret), (error: unknown) => error instanceof WebhookVerificationError && /header is missing/.test(error.message));
    const notJson = webhookHeaders(secret, 'evt-1', 'nope', nowSeconds);
    assert.throws(() => constructEvent('nope', notJson, secret, { now: nowMs }), /not JSON/);
    const notEvent = webhookHeaders(secret, 'evt-1', '[1]', nowSeconds);
    assert.throws(() => constructEvent('[1]', notEvent, secret, { now: nowMs }), /not a Roster event/);
    const typed = constructEvent<WebhookEvent<'user.created'>>(body, headers, secret, { now: nowMs });
    assert.equal(typed.seq, 7);
    // A secret in the format before Standard Webhooks (base64url) is a configuration error, not a forged request.
    assert.throws(() => verify(body, headers, 'whsec_ab-_cdefghijklmnopqrstuvwxyz0123456789ABCDE'), TypeError);
    assert.throws(() => verify(body, headers, []), TypeError);
    assert.throws(() => sign(secret, 'a.b', nowSeconds, body), TypeError, 'an id with a dot would make the signed content ambiguous');
  });
});

/** The Python receiver of docs/events.md, as the docs print it. */
function pythonSnippet(): string {
  const docs = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  const snippet = /```python\n(# Verifying a Roster webhook[\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(snippet !== undefined, 'docs/events.md has the Python verification snippet');
  return snippet;
}

for (const engine of testEngines()) {
  describe(`deliveries verified as Standard Webhooks on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;
    let receiver: Receiver;
    let hook: { id: string; secret: string };
    const verdicts: string[] = [];

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());
    beforeEach(async () => {
      verdicts.length = 0;
      receiver = await startReceiver();
      // A receiver as a product writes it: the standardwebhooks package decides, 401 when it refuses.
      receiver.answer = (_index, received, headers) => {
        try {
          new Webhook(hook.secret).verify(received, headers as Record<string, string>);
          verdicts.push('verified');
          return 204;
        } catch (error) {
          verdicts.push(String(error));
          return 401;
        }
      };
      const created = await api('POST', '/webhooks', { url: receiver.url, tenantId: server.tenantId, eventTypes: ['user.created'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      hook = { id: String(created.body.id), secret: String(created.body.secret) };
    });
    afterEach(async () => {
      await receiver.close();
      await api('DELETE', `/webhooks/${hook.id}`);
    });

    it('sends webhook-id, webhook-timestamp and webhook-signature that the standardwebhooks package accepts', async () => {
      assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'whsec_ and the base64 of 32 random bytes');
      const dispatcher = new WebhookDispatcher(server.services.store, { timeoutMs: 5000 });
      const user = await server.request('POST', '/Users', userBody('standard@example.com'));
      await waitFor(async () => {
        await dispatcher.runOnce();
        return receiver.received.length > 0;
      }, 10_000, 'the delivery');
      await dispatcher.stop();
      assert.deepEqual(verdicts, ['verified']);
      const [delivery] = receiver.received;
      assert.ok(delivery !== undefined);
      assert.equal(delivery.headers['webhook-id'], delivery.event.id);
      assert.match(String(delivery.headers['webhook-timestamp']), /^\d{10}$/);
      assert.match(String(delivery.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.equal(delivery.headers['roster-signature'], undefined, 'the former scheme is gone');
      const event = constructEvent(delivery.body, delivery.headers, hook.secret);
      assert.deepEqual([event.type, event.resource.id], ['user.created', user.body.id]);
    });

    it('verifies with the Python snippet of docs/events.md', { skip: spawnSync('python3', ['--version']).status !== 0 ? 'no python3' : false }, async () => {
      const sent = await api('POST', `/webhooks/${hook.id}/test`);
      assert.equal(sent.body.delivered, true, JSON.stringify(sent.body));
      const [delivery] = receiver.received;
      assert.ok(delivery !== undefined);
      const dir = mkdtempSync(join(tmpdir(), 'roster-python-'));
      const script = join(dir, 'verify.py');
      const run = (payload: string, signature: string) => {
        writeFileSync(join(dir, 'body'), payload);
        return spawnSync('python3', [script, join(dir, 'body'), hook.secret, String(delivery.headers['webhook-id']), String(delivery.headers['webhook-timestamp']), signature], { encoding: 'utf8' });
      };
      writeFileSync(
        script,
        `${pythonSnippet()}\nimport sys\nwith open(sys.argv[1], "rb") as f:\n    raw = f.read()\nheaders = {"webhook-id": sys.argv[3], "webhook-timestamp": sys.argv[4], "webhook-signature": sys.argv[5]}\nprint(verify_roster_webhook(raw, headers, sys.argv[2]))\n`,
      );
      const genuine = run(delivery.body, String(delivery.headers['webhook-signature']));
      assert.equal(genuine.stdout.trim(), 'True', genuine.stderr);
      const forged = run(delivery.body.replace('webhook.test', 'user.deleted'), String(delivery.headers['webhook-signature']));
      assert.equal(forged.stdout.trim(), 'False', forged.stderr);
    });
  });
}
