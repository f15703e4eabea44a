import { ServiceError } from '../service/errors.js';
import { UsageError } from './command.js';
import { withServices } from './runtime.js';
import { operatorKeyCommand } from './operator-key-command.js';
import { serveCommand } from './serve-command.js';
import { setupLinkCommand } from './setup-link-command.js';
import { tenantCommand } from './tenant-command.js';
import { tokenCommand } from './token-command.js';

export const USAGE = `Usage: roster <command> [options]

Commands:
  serve [--port N] [--host H] [--data-dir DIR] [--public-url URL]
                                     Start the server (what \`npm start\` runs)
  tenant create --name NAME [--json] Create a tenant and its first token
  tenant list [--json]               List tenants
  tenant show ID [--json]            Show a tenant's settings (docs/policies.md)
  tenant update ID [--set KEY=VALUE]... [--name NAME] [--json]
                                     Change settings; VALUE is JSON when it parses, else text
  token create --tenant ID --name NAME [--expires-in-days N] [--json]
                                     Issue a SCIM bearer token (shown once)
  token list --tenant ID [--json]    List a tenant's tokens
  token revoke --tenant ID TOKEN_ID [--json]
                                     Revoke a token
  operator-key create --name NAME [--json]
                                     Create a management API key (shown once)
  operator-key list [--json]         List operator keys
  operator-key revoke KEY_ID [--json]
                                     Revoke an operator key
  setup-link create --tenant ID [--expires-in-hours N] [--note TEXT] [--json]
                                     A link into one tenant's admin console (shown once)
  setup-link list --tenant ID [--json]
                                     List a tenant's setup links
  setup-link revoke --tenant ID LINK_ID [--json]
                                     Revoke a setup link
  migrate                            Apply database migrations
  help                               Show this help

Environment: PORT, HOST, ROSTER_DATA_DIR (default ./data), ROSTER_PUBLIC_URL, ROSTER_LOG_LEVEL;
DATABASE_URL=postgres://… for PostgreSQL (ROSTER_PG_POOL_SIZE). All settings: docs/operations.md.
`;

/** Runs the CLI; resolves to the exit code (undefined while `serve` keeps running). */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  try {
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
        process.stdout.write('Migrations applied.\n');
        return 0;
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      default:
        throw new UsageError(command === undefined ? 'Missing command.' : `Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`roster: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ServiceError) {
      process.stderr.write(`roster: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
