import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, sourceBundled, startServe, tempDataDir } from '../support/cli.js';
import { ensureConsoleBuilt } from '../support/console-build.js';

function field(banner: string, label: string): string {
  const match = new RegExp(`${label}:\\s+(\\S+)`).exec(banner);
  assert.ok(match?.[1] !== undefined, `banner has ${label}:\n${banner}`);
  return match[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  assert.ok(typeof address === 'object' && address !== null);
  return address.port;
}

describe('roster serve', () => {
  it('runs from the bundle as `npm start` does (serve --demo): SCIM, the console and metrics answer', async () => {
    // Built from today's source, not an earlier build (`npm ci` builds nothing): by the test
    // runner, or here when the file runs on its own.
    if (!sourceBundled) {
      const bundled = spawnSync(process.execPath, ['scripts/bundle.mjs'], { encoding: 'utf8', cwd: join(import.meta.dirname, '..', '..') });
      assert.equal(bundled.status, 0, bundled.stderr);
    }
    ensureConsoleBuilt();
    const { child, banner } = await startServe(['--demo'], tempDataDir(), { built: true });
    try {
      const baseUrl = field(banner, 'SCIM base URL');
      const headers = { authorization: `Bearer ${field(banner, 'Token')}` };
      const config = await fetch(`${baseUrl}/ServiceProviderConfig`, { headers });
      assert.equal(config.status, 200);
      const created = await fetch(`${baseUrl}/Users`, { method: 'POST', headers: { ...headers, 'content-type': 'application/scim+json' }, body: JSON.stringify({ userName: 'bundle@example.com' }) });
      assert.equal(created.status, 201);
      const missing = await fetch(`${baseUrl}/Users/no-such-user`, { headers });
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { status: string }).status, '404');
      const origin = new URL(baseUrl).origin;
      const console = await fetch(`${origin}/admin/`);
      assert.equal(console.status, 200);
      assert.match(await console.text(), /<div id="root">/);
      const metrics = await fetch(`${origin}/metrics`);
      assert.match(await metrics.text(), /roster_/);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, 'SIGTERM shuts down cleanly');
  });

  it('serves the token that `roster tenant create --json` printed, at the base URL it printed', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const created = runCli(['tenant', 'create', '--name', 'Printed', '--json'], dataDir, { PORT: String(port) });
    const tenant = JSON.parse(created.stdout) as { scimBaseUrl: string; token: string };
    const { child } = await startServe(['--port', String(port)], dataDir);
    try {
      const response = await fetch(`${tenant.scimBaseUrl}/Users`, { headers: { authorization: `Bearer ${tenant.token}` } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/scim\+json/);
      assert.equal(((await response.json()) as { totalResults: number }).totalResults, 0);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('creates no tenant and prints no secret on an empty database without --demo', async () => {
    const dataDir = tempDataDir();
    const { child, banner } = await startServe([], dataDir);
    try {
      assert.match(banner, /Tenants:\s+none yet/);
      assert.doesNotMatch(banner, /Token:|Setup link:|rst_|rsl_/);
      const health = await fetch(field(banner, 'Health'));
      assert.equal(health.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, 'SIGTERM shuts down cleanly');
    const tenants = runCli(['tenant', 'list', '--json'], dataDir);
    assert.deepEqual(JSON.parse(tenants.stdout), []);
  });

  it('with --demo, creates a demo tenant on first start, prints its base URL, token and setup link, and serves SCIM with them', async () => {
    const dataDir = tempDataDir();
    const { child, banner } = await startServe(['--demo'], dataDir);
    try {
      const baseUrl = field(banner, 'SCIM base URL');
      const token = field(banner, 'Token');
      assert.match(field(banner, 'Setup link'), /\/admin\/setup#token=rsl_/);
      assert.match(field(banner, 'Console'), /\/admin$/);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
      const created = await fetch(`${baseUrl}/Users`, { method: 'POST', headers, body: JSON.stringify({ userName: 'demo@example.com' }) });
      assert.equal(created.status, 201);
      const user = (await created.json()) as { id: string; meta: { location: string } };
      assert.equal(user.meta.location, `${baseUrl}/Users/${user.id}`);
      const listed = await fetch(`${baseUrl}/Users?filter=${encodeURIComponent('userName eq "demo@example.com"')}`, { headers });
      assert.equal(((await listed.json()) as { totalResults: number }).totalResults, 1);
      const health = await fetch(field(banner, 'Health'));
      assert.equal(health.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, 'SIGTERM shuts down cleanly');

    // A second start keeps the tenant and does not print a new secret.
    const second = await startServe(['--demo'], dataDir);
    try {
      assert.doesNotMatch(second.banner, /Token:|Setup link:/);
      assert.match(second.banner, /SCIM base URL:/);
      const tenants = runCli(['tenant', 'list', '--json'], dataDir);
      assert.equal((JSON.parse(tenants.stdout) as unknown[]).length, 1);
    } finally {
      second.child.kill('SIGINT');
    }
    const [secondCode] = (await once(second.child, 'exit')) as [number | null];
    assert.equal(secondCode, 0, 'SIGINT shuts down cleanly');
  });

  it('with --demo, creates no demo tenant when a tenant exists', async () => {
    const dataDir = tempDataDir();
    const created = runCli(['tenant', 'create', '--name', 'Existing', '--json'], dataDir);
    assert.equal(created.status, 0, created.stderr);
    const { child, banner } = await startServe(['--demo'], dataDir);
    try {
      assert.match(banner, /Tenants:\s+1 \(first: "Existing"/);
      assert.doesNotMatch(banner, /Token:|Setup link:/);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    const tenants = JSON.parse(runCli(['tenant', 'list', '--json'], dataDir).stdout) as { name: string }[];
    assert.deepEqual(tenants.map((tenant) => tenant.name), ['Existing']);
  });
});
