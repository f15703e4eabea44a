#!/usr/bin/env node
// The published entry point runs the bundled CLI (scripts/bundle.mjs says why one file). The
// package ships it built; in a clone of the repository, `npm run build` (or `npm start`,
// which builds first) makes it.
const bundle = new URL('../dist/bundle/roster.js', import.meta.url);

import(bundle.href).then(
  ({ main }) => main(process.argv.slice(2)),
  (err) => {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && err.url === bundle.href) {
      throw new Error('Roster is not built in this folder: run `npm run build` (`npm start` builds and serves).');
    }
    throw err;
  },
).then(
  (code) => { if (code !== undefined) process.exitCode = code; },
  (err) => { console.error(`roster: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 1; },
);
