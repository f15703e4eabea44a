// The CLI's usage texts: `roster --help`, `roster <command> --help` and
// `roster <command> <action> --help`, and the text printed after a usage error.

/** One runnable command line: what follows `roster <command> [<action>]`, and its flags. */
interface Usage {
  readonly synopsis: string;
  readonly summary: string;
  readonly options: readonly (readonly [flag: string, meaning: string])[];
  /** Printed after the options. */
  readonly notes?: string;
}

/** A command with actions (`roster tenant create`) or a command that runs as it is (`roster serve`). */
type Command = { readonly summary: string; readonly actions: Readonly<Record<string, Usage>> } | (Usage & { readonly actions?: undefined });

const JSON_FLAG = ['--json', 'print the result as JSON (a stable interface for scripts)'] as const;

const COMMANDS: Readonly<Record<string, Command>> = {
  serve: {
    synopsis: '[--demo] [--port N] [--host H] [--data-dir DIR] [--public-url URL]',
    summary: 'Start the server (`npm start` runs `serve --demo`)',
    options: [
      ['--demo', 'with no tenant yet, create a "Demo" tenant; print its token and setup link'],
      ['--port N', 'TCP port (PORT, default 8080; 0 picks a free one)'],
      ['--host H', 'interface to listen on (HOST, default 127.0.0.1)'],
      ['--data-dir DIR', 'where the SQLite database lives (ROSTER_DATA_DIR, default ./data)'],
      ['--public-url URL', 'the origin identity providers reach Roster at (ROSTER_PUBLIC_URL)'],
    ],
    notes: `ROSTER_OPERATOR_KEY_FILE=PATH: a file holding an operator key (rok_…) that the start adds
unless it exists, so that a deployment brings its first key. A missing, unreadable or malformed
file stops the start. Every setting: docs/operations.md.`,
  },
  tenant: {
    summary: 'Create, list, show, change and delete tenants',
    actions: {
      create: {
        synopsis: '--name NAME [--external-id ID] [--scim-disabled] [--json]',
        summary: 'Create a tenant and its first token',
        options: [['--name NAME', "the tenant's name (required)"], ['--external-id ID', "your product's id for it (unique)"], ['--scim-disabled', 'create it with SCIM off (and no token)'], JSON_FLAG],
      },
      list: { synopsis: '[--external-id ID] [--json]', summary: 'List tenants', options: [['--external-id ID', 'only the tenant with this externalId'], JSON_FLAG] },
      show: { synopsis: 'ID [--json]', summary: "Show a tenant's settings (docs/policies.md)", options: [JSON_FLAG] },
      update: {
        synopsis: 'ID [--set KEY=VALUE]... [--name NAME] [--json]',
        summary: 'Change settings; VALUE is JSON when it parses, else text',
        options: [['--set KEY=VALUE', 'a setting to change (repeatable), e.g. --set seatLimit=50'], ['--name NAME', 'rename the tenant'], JSON_FLAG],
      },
      delete: { synopsis: 'ID [--json]', summary: 'Delete a tenant: gone at once; its data is purged by roster serve in the background', options: [JSON_FLAG] },
    },
  },
  token: {
    summary: "Manage a tenant's SCIM bearer tokens",
    actions: {
      create: {
        synopsis: '--tenant ID --name NAME [--expires-in-days N] [--json]',
        summary: 'Issue a SCIM bearer token (shown once)',
        options: [['--tenant ID', 'the tenant (required)'], ['--name NAME', 'what the token is for, e.g. okta (required)'], ['--expires-in-days N', 'expire after N days (default: never)'], JSON_FLAG],
      },
      list: { synopsis: '--tenant ID [--json]', summary: "List a tenant's tokens", options: [['--tenant ID', 'the tenant (required)'], JSON_FLAG] },
      revoke: { synopsis: '--tenant ID TOKEN_ID [--json]', summary: 'Revoke a token', options: [['--tenant ID', 'the tenant (required)'], JSON_FLAG] },
    },
  },
  'operator-key': {
    summary: 'Manage keys for the management API and the console',
    actions: {
      create: { synopsis: '--name NAME [--json]', summary: 'Create a management API key (shown once)', options: [['--name NAME', 'who or what holds the key (required)'], JSON_FLAG] },
      list: { synopsis: '[--json]', summary: 'List operator keys', options: [JSON_FLAG] },
      revoke: { synopsis: 'KEY_ID [--json]', summary: 'Revoke an operator key', options: [JSON_FLAG] },
    },
  },
  'setup-link': {
    summary: "Manage links into one tenant's admin console",
    actions: {
      create: {
        synopsis: '--tenant ID [--expires-in-hours N] [--note TEXT] [--json]',
        summary: "A link into one tenant's admin console (shown once)",
        options: [['--tenant ID', 'the tenant (required)'], ['--expires-in-hours N', 'lifetime (default 72)'], ['--note TEXT', 'who the link is for'], JSON_FLAG],
      },
      list: { synopsis: '--tenant ID [--json]', summary: "List a tenant's setup links", options: [['--tenant ID', 'the tenant (required)'], JSON_FLAG] },
      revoke: { synopsis: '--tenant ID LINK_ID [--json]', summary: 'Revoke a setup link', options: [['--tenant ID', 'the tenant (required)'], JSON_FLAG] },
    },
  },
  migrate: { synopsis: '', summary: 'Apply database migrations', options: [] },
  help: { synopsis: '[COMMAND [ACTION]]', summary: 'Show this help, or a command\'s', options: [] },
};

const HELP_FLAG = ['-h, --help', 'show this help'] as const;

const ENVIRONMENT = `Environment: PORT, HOST, ROSTER_DATA_DIR (default ./data), ROSTER_PUBLIC_URL, ROSTER_LOG_LEVEL;
DATABASE_URL=postgres://… for PostgreSQL (ROSTER_PG_POOL_SIZE); ROSTER_OPERATOR_KEY_FILE (serve:
an operator key from a file). All settings: docs/operations.md.
`;

/** Two columns: the left padded to `width`, longer ones on a line of their own. */
function columns(rows: readonly (readonly [string, string])[], indent: string, width: number): string {
  return rows
    .map(([left, right]) => (left.length < width ? `${indent}${left.padEnd(width)} ${right}` : `${indent}${left}\n${indent}${' '.repeat(width)} ${right}`))
    .join('\n');
}

function line(...words: string[]): string {
  return words.filter((word) => word !== '').join(' ');
}

const OVERVIEW = `Usage: roster <command> [options]

Commands:
${columns(
  Object.entries(COMMANDS).flatMap(([name, command]): [string, string][] =>
    command.actions === undefined ? [[line(name, command.synopsis), command.summary]] : Object.entries(command.actions).map(([action, usage]) => [line(name, action, usage.synopsis), usage.summary]),
  ),
  '  ',
  36,
)}

Options:
${columns([HELP_FLAG, ['-v, --version', 'print the version']], '  ', 36)}
  \`roster <command> --help\` shows a command's options.

${ENVIRONMENT}`;

function usageText(words: string, usage: Usage): string {
  return `Usage: ${line('roster', words, usage.synopsis)}

${usage.summary}.

Options:
${columns([...usage.options, HELP_FLAG], '  ', 22)}
${usage.notes === undefined ? '' : `\n${usage.notes}\n`}`;
}

/**
 * The most specific help for a command line: its command's and action's when they exist
 * (`roster tenant create …`), its command's (`roster tenant …`), else the overview.
 */
export function helpFor(argv: readonly string[]): string {
  const [name, action] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (name === undefined || command === undefined) return OVERVIEW;
  if (command.actions === undefined) return name === 'help' ? OVERVIEW : usageText(name, command);
  const usage = action === undefined ? undefined : command.actions[action];
  if (action !== undefined && usage !== undefined) return usageText(`${name} ${action}`, usage);
  return `Usage: roster ${name} <action> [options]

${command.summary}.

Actions:
${columns(Object.entries(command.actions).map(([key, value]) => [line(key, value.synopsis), value.summary]), '  ', 34)}

\`roster ${name} <action> --help\` shows an action's options.
`;
}
