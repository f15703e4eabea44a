// The package as an operator gets it: `npm pack`, then `npm install --omit=dev <tarball>` in an
// empty folder and `npx roster serve`, with no build step and no dev dependency. Slow (a build
// and an install, a minute or more on two cores), so everything is checked in one pass.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import * as signature from '../../src/service/webhooks/signature.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; devDependencies: Record<string, string> };
const MINUTE = 60_000;

/** The environment without what `npm test` adds: npm_config_local_prefix would point npm back at this repository. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_') && name !== 'INIT_CWD'));

/** Ends a process group started with `detached`: SIGTERM, then SIGKILL if it lingers. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid ?? 0), name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a command to completion in its own process group; fails with its output on a non-zero exit or after `timeoutMs`. */
async function run(command: string, args: readonly string[], cwd: string, timeoutMs: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(command, args, { cwd, env: { ...ENV, ...extraEnv }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopGroup(child);
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  const what = `\`${command} ${args.join(' ')}\` in ${cwd}`;
  assert.ok(!timedOut, `${what} took over ${timeoutMs / MINUTE} minutes:\n${stdout}${output}`);
  assert.equal(code, 0, `${what} failed:\n${stdout}${output}`);
  return stdout;
}

/** Starts the installed `roster serve --demo` and resolves with its banner's URLs and token. */
function serve(app: string, env: NodeJS.ProcessEnv, started: ChildProcess[]): Promise<{ baseUrl: string; token: string; origin: string }> {
  const child = spawn('npx', ['--no', '--', 'roster', 'serve', '--demo', '--port', '0'], { cwd: app, env: { ...ENV, ROSTER_LOG_LEVEL: 'silent', ...env }, detached: true });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the installed roster serve printed no banner within 3 minutes:\n${out}`)), 3 * MINUTE);
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const baseUrl = /SCIM base URL:\s+(\S+)/.exec(out)?.[1];
      const token = /Token:\s+(rst_\S+)/.exec(out)?.[1];
      const origin = /Health:\s+(\S+)\/healthz/.exec(out)?.[1];
      if (origin === undefined) return;
      clearTimeout(timer);
      if (baseUrl === undefined || token === undefined) reject(new Error(`the banner of serve --demo names no SCIM base URL and token:\n${out}`));
      else resolve({ baseUrl, token, origin });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the installed roster serve exited with ${String(code)}:\n${out}`));
    });
  });
}

/** One authenticated SCIM request with the printed token, and the console. */
async function checkServer(server: { baseUrl: string; token: string; origin: string }): Promise<void> {
  const users = await fetch(`${server.baseUrl}/Users`, { headers: { authorization: `Bearer ${server.token}` } });
  assert.equal(users.status, 200, await users.clone().text());
  assert.equal(((await users.json()) as { totalResults: number }).totalResults, 0);
  const page = await fetch(`${server.origin}/admin/`);
  assert.equal(page.status, 200);
  const html = await page.text();
  const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(html.includes('<div id="root">') && script !== undefined, `the console's page:\n${html}`);
  assert.equal((await fetch(`${server.origin}${script}`)).status, 200, 'the console script is served');
}

/**
 * better-sqlite3 installs with prebuild-install, which fetches a prebuilt addon from GitHub and
 * compiles from source (minutes of CPU) when it cannot. These machines cannot reach GitHub, so
 * the install is handed the addon this checkout already has, packed the way a release packs it,
 * through prebuild-install's local-prebuilds folder. Where the name does not match (another
 * libc, say), prebuild-install finds nothing there and compiles: slower, still checked.
 */
async function offerLocalPrebuild(work: string): Promise<string> {
  const addon = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string };
  const folder = join(work, 'prebuilds');
  mkdirSync(folder);
  const name = `better-sqlite3-v${addon.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', ['-czf', join(folder, name), 'build/Release/better_sqlite3.node'], join(ROOT, 'node_modules', 'better-sqlite3'), MINUTE);
  return folder;
}

/** Names of the packages installed in a node_modules folder, scoped ones as @scope/name. */
function installed(nodeModules: string): Set<string> {
  const names = readdirSync(nodeModules).filter((name) => !name.startsWith('.'));
  return new Set(names.flatMap((name) => (name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name])));
}

const SKIPPED_IN_COPY = new Set(['dist', 'web/dist', 'web/.build-lock', 'data', '.tmp', 'bench/results']);

describe('the npm package', () => {
  it('installs from its tarball with --omit=dev in an empty folder, without dev dependencies, and serves SCIM and the console', { timeout: 45 * MINUTE }, async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'roster-package-'));
    const servers: ChildProcess[] = [];
    const timed = async <T>(step: string, body: () => Promise<T>): Promise<T> => {
      const began = Date.now();
      const result = await body();
      t.diagnostic(`${step}: ${Math.round((Date.now() - began) / 1000)} s`);
      return result;
    };
    try {
      // Packed from a copy of the sources: the prepack build writes dist/ and web/dist, which
      // tests running in parallel read and build in this checkout.
      const source = join(work, 'source');
      cpSync(ROOT, source, {
        recursive: true,
        filter: (path) => {
          const inside = relative(ROOT, path);
          return !inside.split('/').some((part) => part === 'node_modules' || part === '.git') && !SKIPPED_IN_COPY.has(inside) && !inside.endsWith('.log');
        },
      });
      symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
      const packed = await timed('npm pack (prepack build)', () => run('npm', ['pack', '--json', '--pack-destination', work], source, 15 * MINUTE));
      const [tarball] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
      assert.ok(tarball !== undefined);
      const files = tarball.files.map((file) => file.path);
      for (const expected of ['LICENSE', 'bin/roster.js', 'dist/bundle/roster.js', 'dist/service/webhooks/signature.js', 'types/webhooks.d.ts', 'web/dist/index.html']) {
        assert.ok(files.includes(expected), `the tarball holds ${expected}: ${files.join(', ')}`);
      }
      assert.deepEqual(files.filter((path) => /^(src|test|scripts|bench)\//.test(path) || path.endsWith('.map')), [], 'sources, tests and source maps stay out');

      // An empty folder, as an operator starts; allowScripts lets better-sqlite3 install its addon
      // where npm blocks dependencies' install scripts by default (npm 12).
      const app = join(work, 'app');
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'roster-install-check', private: true, allowScripts: { 'better-sqlite3': true } }));
      const prebuilds = await offerLocalPrebuild(work);
      await timed('npm install --omit=dev', () =>
        run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier', join(work, tarball.filename)], app, 20 * MINUTE, {
          npm_config_better_sqlite3_local_prebuilds: prebuilds,
        }),
      );
      const present = installed(join(app, 'node_modules'));
      assert.ok(present.has(PKG.name) && present.has('better-sqlite3'), [...present].join(', '));
      assert.deepEqual(Object.keys(PKG.devDependencies).filter((name) => present.has(name)), [], 'no dev dependency is installed');

      assert.equal((await run('npx', ['--no', '--', 'roster', '--version'], app, 3 * MINUTE)).trim(), PKG.version);
      const exported = await run(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify(Object.keys(await import('${PKG.name}/webhooks')).sort()))`], app, 3 * MINUTE);
      assert.deepEqual(JSON.parse(exported), Object.keys(signature).sort(), `${PKG.name}/webhooks resolves to the signature module`);

      // The same checks on both engines: pg is bundled, better-sqlite3 is the one installed dependency.
      const serveAndCheck = async (env: NodeJS.ProcessEnv): Promise<void> => {
        await checkServer(await serve(app, env, servers));
        for (const server of servers) await stopGroup(server);
      };
      await timed('serve on SQLite', () => serveAndCheck({ DATABASE_URL: '', ROSTER_DATA_DIR: join(work, 'data') }));
      if (testEngines().some((engine) => engine.name === 'postgres')) {
        const databaseUrl = await createTestDatabase();
        await timed('serve on PostgreSQL', () => serveAndCheck({ DATABASE_URL: databaseUrl }));
      } else {
        t.diagnostic('PostgreSQL is not available: the installed server ran on SQLite only');
      }
    } finally {
      for (const server of servers) await stopGroup(server);
      rmSync(work, { recursive: true, force: true });
    }
  });
});
