import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, tempDataDir } from '../support/cli.js';

describe('roster CLI', () => {
  it('creates a tenant and prints id, name, scimBaseUrl and token as JSON', () => {
    const dataDir = tempDataDir();
    const result = runCli(['tenant', 'create', '--name', 'Acme', '--json'], dataDir, { ROSTER_PUBLIC_URL: 'https://scim.example.com' });
    assert.equal(result.status, 0, result.stderr);
    const tenant = JSON.parse(result.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(tenant).sort(), ['id', 'name', 'scimBaseUrl', 'token']);
    assert.match(tenant.id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(tenant.name, 'Acme');
    assert.equal(tenant.scimBaseUrl, `https://scim.example.com/scim/v2/${tenant.id ?? ''}`);
    assert.match(tenant.token ?? '', /^rst_/);

    const listed = runCli(['tenant', 'list', '--json'], dataDir);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as { id: string }[]).map((row) => row.id), [tenant.id]);
  });

  it('creates, lists and revokes tokens', () => {
    const dataDir = tempDataDir();
    const tenant = JSON.parse(runCli(['tenant', 'create', '--name', 'Tokens', '--json'], dataDir).stdout) as { id: string };
    const created = runCli(['token', 'create', '--tenant', tenant.id, '--name', 'okta', '--json'], dataDir);
    assert.equal(created.status, 0, created.stderr);
    const token = JSON.parse(created.stdout) as { id: string; token: string };
    assert.deepEqual(Object.keys(token).sort(), ['id', 'token']);

    const listed = JSON.parse(runCli(['token', 'list', '--tenant', tenant.id, '--json'], dataDir).stdout) as { id: string; name: string; revokedAt: string | null }[];
    assert.deepEqual(listed.map((row) => row.name).sort(), ['default', 'okta']);
    assert.ok(!JSON.stringify(listed).includes(token.token), 'listing never shows a secret');

    const revoked = runCli(['token', 'revoke', '--tenant', tenant.id, token.id, '--json'], dataDir);
    assert.equal(revoked.status, 0, revoked.stderr);
    const after = JSON.parse(runCli(['token', 'list', '--tenant', tenant.id, '--json'], dataDir).stdout) as { id: string; revokedAt: string | null }[];
    assert.notEqual(after.find((row) => row.id === token.id)?.revokedAt, null);

    const again = runCli(['token', 'revoke', '--tenant', tenant.id, token.id], dataDir);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /no active token/);
  });

  it('prints usage and exits non-zero for unknown commands and bad flags', () => {
    const dataDir = tempDataDir();
    for (const args of [['frobnicate'], [], ['tenant', 'create'], ['tenant', 'create', '--name', 'X', '--colour', 'red'], ['token', 'revoke', '--tenant', 'x'], ['tenant', 'explode']]) {
      const result = runCli(args, dataDir);
      assert.equal(result.status, 2, `roster ${args.join(' ')}: ${result.stdout}`);
      assert.match(result.stderr, /Usage: roster/);
    }
  });

  it('reports an unknown tenant clearly', () => {
    const result = runCli(['token', 'create', '--tenant', 'missing', '--name', 'x'], tempDataDir());
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Tenant missing does not exist/);
  });

  it('applies migrations with roster migrate', () => {
    const result = runCli(['migrate'], tempDataDir());
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Migrations applied/);
  });
});

describe('roster operator-key', () => {
  it('creates a key printed once as {"id","key"}, lists it without the secret, and revokes it', () => {
    const dataDir = tempDataDir();
    const created = runCli(['operator-key', 'create', '--name', 'ci', '--json'], dataDir);
    assert.equal(created.status, 0, created.stderr);
    const key = JSON.parse(created.stdout) as { id: string; key: string };
    assert.deepEqual(Object.keys(key).sort(), ['id', 'key']);
    assert.match(key.key, /^rok_/);
    const listed = runCli(['operator-key', 'list', '--json'], dataDir);
    assert.ok(!listed.stdout.includes(key.key));
    assert.equal(runCli(['operator-key', 'revoke', key.id], dataDir).status, 0);
    assert.equal(runCli(['operator-key', 'revoke', key.id], dataDir).status, 1);
  });
});
