#!/usr/bin/env node
// The published entry point runs the bundled CLI (built by `npm run build`, run on `npm ci`;
// scripts/bundle.mjs says why one file).
import { main } from '../dist/bundle/roster.js';

main(process.argv.slice(2)).then(
  (code) => { if (code !== undefined) process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
);
