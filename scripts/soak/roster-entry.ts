// `roster serve` from source, as bin/roster.js runs it from the build: the soak's server.
import { main } from '../../src/cli/main.js';

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
