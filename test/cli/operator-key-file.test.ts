import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createServices } from '../../src/service/services.js';
import { runCli, startServe, tempDataDir } from '../support/cli.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';

const KEY_LINE = /Operator key:\s+(\S+) from ROSTER_OPERATOR_KEY_FILE( \(added now\))?/;

/** A fresh operator key secret in a file of its own, as a deployment mounts one (with a final newline). */
function keyFile(content?: string): { path: string; secret: string } {
  const secret = `rok_${randomBytes(32).toString('base64url')}`;
  const path = join(mkdtempSync(join(tmpdir(), 'roster-key-')), 'operator-key');
  writeFileSync(path, content ?? `${secret}\n`);
  return { path, secret };
}

function originOf(banner: string): string {
  const origin = /Health:\s+(\S+)\/healthz/.exec(banner)?.[1];
  assert.ok(origin !== undefined, banner);
  return origin;
}

async function tenantsStatus(origin: string, secret: string): Promise<number> {
  return (await fetch(`${origin}/api/v1/tenants`, { headers: { authorization: `Bearer ${secret}` } })).status;
}

/** Starts `roster serve` with the key file, runs `check` on its banner, and stops it. */
async function withServe(dataDir: string, env: NodeJS.ProcessEnv, check: (banner: string) => Promise<void>): Promise<void> {
  const { child, banner } = await startServe([], dataDir, { env });
  try {
    await check(banner);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

describe('ROSTER_OPERATOR_KEY_FILE', () => {
  it('adds the file\'s key on the first start only; the management API accepts it; a revoked key stays revoked', async () => {
    const dataDir = tempDataDir();
    const file = keyFile();
    const env = { ROSTER_OPERATOR_KEY_FILE: file.path };
    let keyId = '';
    await withServe(dataDir, env, async (banner) => {
      const line = KEY_LINE.exec(banner);
      assert.ok(line?.[1] !== undefined && line[2] !== undefined, `the banner says the key was added:\n${banner}`);
      keyId = line[1];
      assert.doesNotMatch(banner, new RegExp(file.secret), 'the secret is never printed');
      assert.match(banner, /sign in with the key in ROSTER_OPERATOR_KEY_FILE/);
      assert.equal(await tenantsStatus(originOf(banner), file.secret), 200);
      assert.equal(await tenantsStatus(originOf(banner), `rok_${randomBytes(32).toString('base64url')}`), 401);
    });
    await withServe(dataDir, env, async (banner) => {
      const line = KEY_LINE.exec(banner);
      assert.equal(line?.[1], keyId, `the second start names the same key:\n${banner}`);
      assert.equal(line[2], undefined, 'and does not add it again');
      assert.equal(await tenantsStatus(originOf(banner), file.secret), 200);
    });
    const listed = runCli(['operator-key', 'list', '--json'], dataDir);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as { id: string; name: string }[]).map(({ id, name }) => ({ id, name })), [{ id: keyId, name: 'deployment (ROSTER_OPERATOR_KEY_FILE)' }]);
    assert.ok(!listed.stdout.includes(file.secret));

    assert.equal(runCli(['operator-key', 'revoke', keyId], dataDir).status, 0);
    await withServe(dataDir, env, async (banner) => {
      assert.match(banner, /Operator key:\s+the one in ROSTER_OPERATOR_KEY_FILE is revoked and stays revoked/);
      assert.equal(await tenantsStatus(originOf(banner), file.secret), 401);
    });
    const after = JSON.parse(runCli(['operator-key', 'list', '--json'], dataDir).stdout) as { id: string; revokedAt: string | null }[];
    assert.equal(after.length, 1);
    assert.equal(after[0]?.id, keyId);
    assert.notEqual(after[0]?.revokedAt, null);
  });

  it('stops the start with a message naming the file when it is missing, unreadable or malformed', () => {
    const dataDir = tempDataDir();
    const scimToken = `rst_${randomBytes(32).toString('base64url')}`;
    const cases: readonly [path: string, message: RegExp][] = [
      [join(tmpdir(), `roster-no-such-key-${randomBytes(4).toString('hex')}`), /which cannot be read: ENOENT/],
      [tmpdir(), /which cannot be read: EISDIR/],
      [keyFile('').path, /which holds no operator key\. An operator key is "rok_" followed by 43 to 196 characters/],
      [keyFile(`${scimToken}\n`).path, /which holds no operator key/],
    ];
    for (const [path, message] of cases) {
      const result = runCli(['serve', '--port', '0'], dataDir, { ROSTER_OPERATOR_KEY_FILE: path, ROSTER_LOG_LEVEL: 'silent' });
      assert.equal(result.status, 1, `${path}: ${result.stdout}${result.stderr}`);
      assert.ok(result.stderr.startsWith(`roster: ROSTER_OPERATOR_KEY_FILE names ${path}, `), result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stdout, /Roster is listening/);
      assert.ok(!result.stderr.includes(scimToken), 'the content of a malformed file is not echoed');
    }
  });

  const postgres = testEngines().some((engine) => engine.name === 'postgres');
  it('adds the key once when two processes start at once on one PostgreSQL database', { skip: postgres ? false : 'PostgreSQL is not available' }, async () => {
    const databaseUrl = await createTestDatabase();
    const file = keyFile();
    const env = { DATABASE_URL: databaseUrl, ROSTER_OPERATOR_KEY_FILE: file.path };
    const started = await Promise.allSettled([startServe([], tempDataDir(), { env }), startServe([], tempDataDir(), { env })]);
    try {
      const banners = started.map((result) => {
        assert.equal(result.status, 'fulfilled', result.status === 'rejected' ? String(result.reason) : '');
        return result.value.banner;
      });
      const lines = banners.map((banner) => KEY_LINE.exec(banner));
      assert.ok(lines[0]?.[1] !== undefined && lines[0][1] === lines[1]?.[1], `both name one key:\n${banners.join('\n')}`);
      assert.equal(lines.filter((line) => line?.[2] !== undefined).length, 1, 'exactly one process added it');
    } finally {
      for (const result of started) {
        if (result.status !== 'fulfilled') continue;
        const exited = once(result.value.child, 'exit');
        result.value.child.kill('SIGTERM');
        await exited;
      }
    }
    const listed = JSON.parse(runCli(['operator-key', 'list', '--json'], tempDataDir(), { DATABASE_URL: databaseUrl }).stdout) as unknown[];
    assert.equal(listed.length, 1);
  });
});

for (const engine of testEngines()) {
  describe(`OperatorKeyService.ensure (${engine.name})`, () => {
    it('creates exactly one key when called for one secret many times at once', async () => {
      const store = await engine.open();
      try {
        const services = createServices(store);
        const secret = `rok_${randomBytes(32).toString('base64url')}`;
        const results = await Promise.all(Array.from({ length: 8 }, () => services.operatorKeys.ensure('deployment', secret)));
        assert.deepEqual(results.map((result) => result.state).sort(), ['created', ...Array<string>(7).fill('present')]);
        const ids = new Set(results.map((result) => (result.state === 'revoked' ? undefined : result.key.id)));
        assert.equal(ids.size, 1);
        assert.equal((await services.operatorKeys.list()).length, 1);
        assert.equal((await services.operatorKeys.authenticate(secret))?.name, 'deployment');
      } finally {
        await store.close();
      }
    });
  });
}
