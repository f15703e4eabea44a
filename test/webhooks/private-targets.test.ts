// Webhooks reach public addresses only, unless ROSTER_WEBHOOK_ALLOW_PRIVATE=true: refused at
// registration and again at every connection (DNS rebinding), for deliveries, test sends and
// redeliveries. The suites run with the setting on (scripts/run-tests.mjs); these turn it off.
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { allowPrivateWebhookTargets } from '../../src/config-webhooks.js';
import { createServices } from '../../src/service/services.js';
import { WebhookDispatcher } from '../../src/service/webhooks/dispatcher.js';
import { nonPublicRange } from '../../src/service/webhooks/target-address.js';
import { checkWebhookUrl } from '../../src/service/webhooks/webhook-url.js';
import { guardedLookup, systemResolve, type Resolve } from '../../src/service/webhooks/webhook-transport.js';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { runCli, startServe, tempDataDir } from '../support/cli.js';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, type TestServer } from '../support/scim-client.js';
import { deleteAllWebhooks, startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

const PUBLIC_V4 = '93.184.215.14';

/** A DNS standing in for the internet's: names to addresses, in turn when a name has several answers. */
function fakeDns(answers: Record<string, readonly (readonly string[])[]>): Resolve {
  const asked = new Map<string, number>();
  return (hostname) => {
    const turns = answers[hostname];
    if (turns === undefined) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    const turn = asked.get(hostname) ?? 0;
    asked.set(hostname, turn + 1);
    const addresses = turns[Math.min(turn, turns.length - 1)] ?? [];
    return Promise.resolve(addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

describe('non-public addresses', () => {
  it('are every loopback, private, link-local, unique-local and reserved range, IPv4 and IPv6, also inside IPv6', () => {
    const refused = [
      '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.51.100.7', '203.0.113.9', '224.0.0.1', '255.255.255.255',
      '::1', '::', '[::1]', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fec0::1', 'ff02::1', '100::1', '::127.0.0.1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1',
      '2002:7f00:1::1', '2002:c0a8:101::', '2001:db8::1', '2001::1', '3fff::1', 'fe80::1%eth0', 'not-an-ip', '0x7f000001',
    ];
    for (const address of refused) assert.notEqual(nonPublicRange(address), undefined, `${address} is refused`);
    const accepted = ['93.184.215.14', '8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];
    for (const address of accepted) assert.equal(nonPublicRange(address), undefined, `${address} is public`);
    assert.match(nonPublicRange('169.254.169.254') ?? '', /link-local.*metadata/);
    assert.match(nonPublicRange('::ffff:7f00:1') ?? '', /loopback.*inside an IPv6 address/);
  });

  it('are refused at registration in every spelling of the URL, by name and by what the name resolves to', async () => {
    const resolve = fakeDns({ 'hooks.example': [[PUBLIC_V4]], 'internal.example': [['10.0.0.5']], 'mixed.example': [[PUBLIC_V4, '192.168.0.1']], 'v6.example': [['2606:4700:4700::1111', 'fd00::2']] });
    const policy = { allowPrivateTargets: false, resolve };
    const refused = [
      'http://127.0.0.1/', 'http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://127.0.0.1./',
      'http://[::1]:8080/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:0:0:1]/', 'http://169.254.169.254/latest/meta-data/',
      'http://localhost:8080/', 'http://LOCALHOST./', 'http://api.localhost/', 'http://[fd00::1]/', 'http://10.0.0.1/', 'https://192.168.0.10/',
      'https://internal.example/hooks', 'https://mixed.example/', 'https://v6.example/',
    ];
    for (const url of refused) {
      await assert.rejects(checkWebhookUrl(url, policy), (error: unknown) => error instanceof Error && 'code' in error && error.code === 'WEBHOOK_URL_NOT_PUBLIC', `${url} is refused`);
    }
    assert.equal(await checkWebhookUrl('https://hooks.example/roster', policy), 'https://hooks.example/roster');
    assert.equal(await checkWebhookUrl('http://8.8.8.8:8080/x', policy), 'http://8.8.8.8:8080/x');
    assert.equal(await checkWebhookUrl('https://not-yet.example/', policy), 'https://not-yet.example/', 'a name that does not resolve yet is checked at each connection');
    assert.equal(await checkWebhookUrl('http://127.0.0.1:9/', { allowPrivateTargets: true, resolve }), 'http://127.0.0.1:9/');
  });

  it('are refused by the lookup the sockets connect with, which passes public addresses on', async () => {
    const lookup = guardedLookup(fakeDns({ 'hooks.example': [[PUBLIC_V4, '2606:4700:4700::1111']], 'rebound.example': [['127.0.0.1']] }));
    const ask = (hostname: string, all: boolean) =>
      new Promise<{ error: NodeJS.ErrnoException | null; result: unknown }>((resolve) => {
        lookup(hostname, { all }, (error: NodeJS.ErrnoException | null, address: unknown, family?: number) => resolve({ error, result: all ? address : [address, family] }));
      });
    assert.deepEqual(await ask('hooks.example', false), { error: null, result: [PUBLIC_V4, 4] });
    assert.deepEqual((await ask('hooks.example', true)).result, [{ address: PUBLIC_V4, family: 4 }, { address: '2606:4700:4700::1111', family: 6 }]);
    const rebound = await ask('rebound.example', false);
    assert.match(rebound.error?.message ?? '', /rebound\.example \(127\.0\.0\.1\) is loopback/);
    assert.equal(rebound.error?.code, 'ERR_WEBHOOK_TARGET_NOT_PUBLIC');
    assert.match((await ask('unknown.example', true)).error?.message ?? '', /ENOTFOUND/);
  });

  it('are allowed only by ROSTER_WEBHOOK_ALLOW_PRIVATE=true; another value is an error', () => {
    assert.equal(allowPrivateWebhookTargets({}), false);
    assert.equal(allowPrivateWebhookTargets({ ROSTER_WEBHOOK_ALLOW_PRIVATE: 'false' }), false);
    assert.equal(allowPrivateWebhookTargets({ ROSTER_WEBHOOK_ALLOW_PRIVATE: 'TRUE' }), true);
    assert.throws(() => allowPrivateWebhookTargets({ ROSTER_WEBHOOK_ALLOW_PRIVATE: 'yes' }), /Invalid ROSTER_WEBHOOK_ALLOW_PRIVATE "yes"/);
  });
});

describe('roster serve with ROSTER_WEBHOOK_ALLOW_PRIVATE off', () => {
  it('refuses a webhook on 127.0.0.1 through the management API', { timeout: 180_000 }, async () => {
    const dataDir = tempDataDir();
    const env = { ROSTER_WEBHOOK_ALLOW_PRIVATE: 'false', ROSTER_WEBHOOKS: 'off' };
    const created = runCli(['operator-key', 'create', '--name', 'ssrf', '--json'], dataDir, env);
    assert.equal(created.status, 0, created.stderr);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const { child, banner } = await startServe([], dataDir, { env });
    try {
      const origin = /Health:\s+(\S+)\/healthz/.exec(banner)?.[1];
      assert.ok(origin !== undefined, banner);
      const response = await fetch(`${origin}/api/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'http://127.0.0.1:9/hooks' }),
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'WEBHOOK_URL_NOT_PUBLIC');
      assert.match(body.error.message, /127\.0\.0\.1 is loopback .*ROSTER_WEBHOOK_ALLOW_PRIVATE=true/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

for (const engine of testEngines()) {
  describe(`private webhook targets refused on ${engine.name}`, () => {
    let receiver: Receiver;
    let server: TestServer;
    let api: AdminApi;
    let resolve: Resolve;

    before(async () => {
      receiver = await startReceiver();
      // rebind.example answers a public address first (registration), then 127.0.0.1 (every connection).
      resolve = fakeDns({ 'hooks.example': [[PUBLIC_V4]], 'rebind.example': [[PUBLIC_V4], ['127.0.0.1']] });
      server = await startServer(engine, {}, { webhooks: { allowPrivateTargets: false, resolve, timeoutMs: 5000 } });
      api = await adminClient(server);
    });
    after(async () => {
      await server.close();
      await receiver.close();
    });
    beforeEach(() => {
      receiver.received.length = 0;
    });
    afterEach(async () => {
      await deleteAllWebhooks(api);
    });

    it('refuses to register or move an endpoint to a loopback, private or metadata address', async () => {
      for (const url of [receiver.url, 'http://[::1]/', 'http://0x7f000001/', 'http://169.254.169.254/latest/meta-data/', 'http://localhost/']) {
        const refused = await api('POST', '/webhooks', { url, tenantId: server.tenantId });
        assert.equal(refused.status, 400, url);
        assert.equal((refused.body.error as { code: string }).code, 'WEBHOOK_URL_NOT_PUBLIC', url);
        assert.match((refused.body.error as { message: string }).message, /not a public address; set ROSTER_WEBHOOK_ALLOW_PRIVATE=true/);
      }
      const hook = await api('POST', '/webhooks', { url: 'https://hooks.example/roster', tenantId: server.tenantId });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      const moved = await api('PATCH', `/webhooks/${String(hook.body.id)}`, { url: 'http://[::ffff:a9fe:a9fe]/' });
      assert.equal(moved.status, 400);
      assert.equal((moved.body.error as { code: string }).code, 'WEBHOOK_URL_NOT_PUBLIC');
      assert.match((moved.body.error as { message: string }).message, /link-local/);
      assert.equal((await api('GET', `/webhooks/${String(hook.body.id)}`)).body.url, 'https://hooks.example/roster', 'unchanged');
    });

    it('refuses at connect time a name that rebinds to 127.0.0.1: deliveries, test sends and redeliveries', async () => {
      const port = new URL(receiver.url).port;
      const created = await api('POST', '/webhooks', { url: `http://rebind.example:${port}/hooks`, tenantId: server.tenantId });
      assert.equal(created.status, 201, 'rebind.example resolved to a public address at registration');
      const hookId = String(created.body.id);
      const dispatcher = new WebhookDispatcher(server.services.store, { allowPrivateTargets: false, resolve, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 5000 });
      await server.request('POST', '/Users', userBody('rebind@example.com'));
      type Letter = { id: string; lastError: string; lastStatus: number | null };
      const dead = async (): Promise<Letter[]> => (await api('GET', `/webhooks/${hookId}/deliveries?state=dead`)).body.deliveries as Letter[];
      await waitFor(async () => {
        await dispatcher.runOnce();
        return (await dead()).length > 0;
      }, 10_000, 'the refused delivery');
      const [letter] = await dead();
      assert.ok(letter !== undefined);
      assert.equal(letter.lastStatus, null);
      assert.match(letter.lastError, /^refused: rebind\.example \(127\.0\.0\.1\) is loopback/);

      const test = await api('POST', `/webhooks/${hookId}/test`);
      assert.equal(test.body.delivered, false);
      assert.match(String(test.body.error), /^refused: rebind\.example \(127\.0\.0\.1\) is loopback/);

      assert.equal((await api('POST', `/webhooks/${hookId}/deliveries/${letter.id}/redeliver`)).status, 202);
      await waitFor(async () => {
        await dispatcher.runOnce();
        return (await dead()).length > 0;
      }, 10_000, 'the refused redelivery');
      await dispatcher.stop();
      assert.equal(receiver.received.length, 0, 'nothing reached the loopback receiver');
    });

    it('refuses at connect time an IP literal registered while private targets were allowed', async () => {
      const allowing = createServices(server.store, { webhooks: { allowPrivateTargets: true } });
      const { endpoint } = await allowing.webhooks.create({ url: receiver.url, tenantId: server.tenantId });
      const dispatcher = new WebhookDispatcher(server.services.store, { allowPrivateTargets: false, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
      await server.request('POST', '/Users', userBody('literal@example.com'));
      type Row = { state: string; lastError: string | null };
      const rows = async (): Promise<Row[]> => (await api('GET', `/webhooks/${endpoint.id}/deliveries`)).body.deliveries as Row[];
      await waitFor(async () => {
        await dispatcher.runOnce();
        return (await rows()).some((row) => row.lastError !== null);
      }, 10_000, 'the refused try');
      await dispatcher.stop();
      assert.match((await rows())[0]?.lastError ?? '', /^refused: 127\.0\.0\.1 is loopback/);
      assert.equal(receiver.received.length, 0);
      // The same endpoint with the setting on (the suites' default) is delivered to.
      const sent = await api('POST', `/webhooks/${endpoint.id}/test`);
      assert.match(String(sent.body.error), /^refused: 127\.0\.0\.1/, 'this server\'s test sends refuse it too');
      const allowed = await allowing.webhooks.sendTest(endpoint.id);
      assert.equal(allowed.delivered, true, JSON.stringify(allowed));
    });
  });
}

// The system resolver is what production uses; `localhost` resolves through it without a network.
describe('the system resolver', () => {
  it('resolves localhost to loopback, which the connect-time lookup refuses', async () => {
    const addresses = await systemResolve('localhost');
    assert.ok(addresses.length > 0 && addresses.every((entry) => nonPublicRange(entry.address)?.startsWith('loopback') === true), JSON.stringify(addresses));
  });
});
