import { ServiceError } from '../service/errors.js';
import { UsageError } from './command.js';
import { helpFor } from './help.js';
import { withServices } from './runtime.js';
import { operatorKeyCommand } from './operator-key-command.js';
import { serveCommand } from './serve-command.js';
import { setupLinkCommand } from './setup-link-command.js';
import { tenantCommand } from './tenant-command.js';
import { tokenCommand } from './token-command.js';
import { rosterVersion } from './version.js';

/** Where main writes its help, version and error texts (the process's streams, or a test's). */
export interface Terminal {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** `--help`/`-h` anywhere asks for help: `roster operator-key create --help` as `roster --help`. */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

async function run(command: string | undefined, rest: readonly string[], terminal: Terminal): Promise<number | undefined> {
  switch (command) {
    case 'serve':
      await serveCommand(rest);
      return undefined;
    case 'tenant':
      await tenantCommand(rest);
      return 0;
    case 'token':
      await tokenCommand(rest);
      return 0;
    case 'operator-key':
      await operatorKeyCommand(rest);
      return 0;
    case 'setup-link':
      await setupLinkCommand(rest);
      return 0;
    case 'migrate':
      await withServices(() => Promise.resolve());
      terminal.stdout.write('Migrations applied.\n');
      return 0;
    case 'help':
      terminal.stdout.write(helpFor(rest));
      return 0;
    case '--version':
    case '-v':
      terminal.stdout.write(`${rosterVersion()}\n`);
      return 0;
    default:
      throw new UsageError(command === undefined ? 'Missing command.' : `Unknown command "${command}".`);
  }
}

/** Runs the CLI; resolves to the exit code (undefined while `serve` keeps running). */
export async function main(argv: readonly string[], terminal: Terminal = process): Promise<number | undefined> {
  if (wantsHelp(argv)) {
    terminal.stdout.write(helpFor(argv));
    return 0;
  }
  const [command, ...rest] = argv;
  try {
    return await run(command, rest, terminal);
  } catch (error) {
    if (error instanceof UsageError) {
      terminal.stderr.write(`roster: ${error.message}\n\n${helpFor(argv)}`);
      return 2;
    }
    if (error instanceof ServiceError) {
      terminal.stderr.write(`roster: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
