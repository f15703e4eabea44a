// Bundles the CLI and server into one ES module, dist/bundle/roster.js, which bin/roster.js
// runs. Loading Roster as ~1,500 separate modules (Kysely, TypeBox and Fastify are each
// hundreds of files) took most of `roster serve`'s start-up; one file loads in a fraction of
// that. better-sqlite3 stays outside (a native addon), as does pg's optional native binding.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/bundle/roster.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', 'pg-native'],
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as rosterCreateRequire } from 'node:module'; const require = rosterCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
