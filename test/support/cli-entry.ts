// Runs the CLI from source, as bin/roster.js runs it from the build (errors too: the message, exit 1).
import { main } from '../../src/cli/main.js';

try {
  const code = await main(process.argv.slice(2));
  if (code !== undefined) process.exitCode = code;
} catch (error) {
  console.error(`roster: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
