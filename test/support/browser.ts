import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: never a browser download (the machines reach no browser CDN). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for headless Chromium on these machines: no sandbox (tests run as root), and no
 * background networking, whose connections the closed network refuses.
 */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Held while one test process installs Chromium (see ensureChromium). */
const INSTALL_LOCK = '/tmp/roster-chromium-install.lock';

function run(command: string, args: readonly string[]): boolean {
  process.stdout.write(`# $ ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

/**
 * The path of Chromium, installing Debian's package when it is missing (printing apt's
 * progress). Undefined when it cannot be had; under CI=true that is an error instead, so a
 * CI run never passes by skipping the browser tests.
 */
export function ensureChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  process.stdout.write('# Chromium is missing: installing the Debian package (apt-get install -y chromium)…\n');
  // Several browser test files start at once (two at a time) and each may find Chromium
  // missing; apt refuses a second run while one holds its locks. One install at a time, under
  // flock (util-linux; the lock goes with the process), and the next finds it installed.
  const install = `test -x ${CHROMIUM} || (apt-get update -q && apt-get install -y -q chromium)`;
  const installed = run('flock', [INSTALL_LOCK, 'sh', '-c', install]) && existsSync(CHROMIUM);
  if (installed) return CHROMIUM;
  const message = `Chromium could not be installed at ${CHROMIUM} (apt-get install -y chromium failed).`;
  if (process.env.CI === 'true') throw new Error(`${message} The browser tests need it under CI.`);
  process.stdout.write(`# ${message} Skipping the browser tests.\n`);
  return undefined;
}

/** Starts headless Chromium through playwright-core. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: FLAGS, timeout: 30_000 });
}
