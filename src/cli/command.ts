import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Thrown for a bad command line: main prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses flags strictly: unknown flags and missing values are usage errors. */
export function parseFlags<O extends Options>(argv: readonly string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) throw new UsageError(`Unexpected argument "${parsed.positionals[positionals] ?? ''}".`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A required flag's value, or a usage error naming it. */
export function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`Missing required flag --${flag}.`);
  return value;
}

/** Prints a result as JSON (for scripts, a stable interface) or as text (for people). */
export function output(json: boolean, data: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
}
