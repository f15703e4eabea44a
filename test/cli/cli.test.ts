import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { runCli, tempDataDir } from '../support/cli.js';

/** Runs the CLI in this process (help and version open no database), collecting what it prints. */
async function runInProcess(argv: readonly string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Every command and action, with flags its help must name. */
const COMMAND_LINES: readonly (readonly [path: string, flags: readonly string[]])[] = [
  ['serve', ['--demo', '--port', '--host', '--data-dir', '--public-url', 'ROSTER_OPERATOR_KEY_FILE']],
  ['tenant', ['create', 'list', 'show', 'update', 'delete']],
  ['tenant create', ['--name', '--external-id', '--scim-disabled', '--json']],
  ['tenant list', ['--external-id', '--json']],
  ['tenant show', ['ID', '--json']],
  ['tenant update', ['--set', '--name', '--json']],
  ['tenant delete', ['ID', '--json']],
  ['token', ['create', 'list', 'revoke']],
  ['token create', ['--tenant', '--name', '--expires-in-days', '--json']],
  ['token list', ['--tenant', '--json']],
  ['token revoke', ['--tenant', 'TOKEN_ID', '--json']],
  ['operator-key', ['create', 'list', 'revoke']],
  ['operator-key create', ['--name', '--json']],
  ['operator-key list', ['--json']],
  ['operator-key revoke', ['KEY_ID', '--json']],
  ['setup-link', ['create', 'list', 'revoke']],
  ['setup-link create', ['--tenant', '--expires-in-hours', '--note', '--json']],
  ['setup-link list', ['--tenant', '--json']],
  ['setup-link revoke', ['--tenant', 'LINK_ID', '--json']],
  ['migrate', []],
];

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

  it('creates a tenant with an external id and SCIM off, finds it by that id, and deletes it', () => {
    const dataDir = tempDataDir();
    const created = runCli(['tenant', 'create', '--name', 'Initech', '--external-id', 'org_7', '--scim-disabled', '--json'], dataDir);
    assert.equal(created.status, 0, created.stderr);
    const tenant = JSON.parse(created.stdout) as { id: string; externalId: string; token: string | null };
    assert.equal(tenant.externalId, 'org_7');
    assert.equal(tenant.token, null, 'no token while SCIM is off');
    const shown = JSON.parse(runCli(['tenant', 'show', tenant.id, '--json'], dataDir).stdout) as { scimEnabled: boolean };
    assert.equal(shown.scimEnabled, false);
    const found = JSON.parse(runCli(['tenant', 'list', '--external-id', 'org_7', '--json'], dataDir).stdout) as { id: string }[];
    assert.deepEqual(found.map((row) => row.id), [tenant.id]);
    const deleted = runCli(['tenant', 'delete', tenant.id, '--json'], dataDir);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.deepEqual(JSON.parse(deleted.stdout), { id: tenant.id, deleted: true });
    assert.deepEqual(JSON.parse(runCli(['tenant', 'list', '--json'], dataDir).stdout), []);
    assert.notEqual(runCli(['tenant', 'delete', tenant.id], dataDir).status, 0, 'deleting it again fails');
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

describe('roster --help and --version', () => {
  it('prints the package version for --version and -v', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await runInProcess([flag]);
      assert.deepEqual(result, { code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('answers --help and -h on every command and action with its own usage, exit 0', async () => {
    for (const [path, flags] of COMMAND_LINES) {
      for (const help of ['--help', '-h']) {
        const result = await runInProcess([...path.split(' '), help]);
        assert.equal(result.code, 0, `roster ${path} ${help}: ${result.stderr}`);
        assert.equal(result.stderr, '');
        const usage = `Usage: roster ${path}`;
        assert.ok(result.stdout.startsWith(usage) && [' ', '\n'].includes(result.stdout.charAt(usage.length)), `roster ${path} ${help} starts with its own usage:\n${result.stdout}`);
        for (const flag of [...flags, '--help']) assert.ok(result.stdout.includes(flag), `roster ${path} ${help} names ${flag}:\n${result.stdout}`);
      }
    }
  });

  it('prints the overview for --help, -h and help, and a command\'s usage for help COMMAND [ACTION]', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const result = await runInProcess(argv);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^Usage: roster <command> \[options\]/);
      for (const [path] of COMMAND_LINES) assert.ok(result.stdout.includes(`  ${path}`), `the overview lists ${path}`);
      assert.match(result.stdout, /-v, --version/);
    }
    assert.match((await runInProcess(['help', 'token', 'create'])).stdout, /^Usage: roster token create --tenant ID --name NAME/);
    assert.match((await runInProcess(['help', 'setup-link'])).stdout, /^Usage: roster setup-link <action>/);
  });

  it('shows the usage of the command that was misused', async () => {
    const missing = await runInProcess(['token', 'create', '--tenant', 'x']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^roster: Missing required flag --name\.\n\nUsage: roster token create /);
    const unknown = await runInProcess(['operator-key', 'rotate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^roster: Unknown operator-key action "rotate"\.\n\nUsage: roster operator-key <action>/);
  });

  it('answers `roster operator-key create --help` from a real process without touching the database', () => {
    const dataDir = tempDataDir();
    const result = runCli(['operator-key', 'create', '--name', 'x', '--help'], dataDir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Usage: roster operator-key create --name NAME/);
    assert.deepEqual(readdirSync(dataDir), [], 'help creates no database and no key');
    const version = runCli(['--version'], dataDir);
    assert.equal(version.stdout, `${VERSION}\n`);
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
