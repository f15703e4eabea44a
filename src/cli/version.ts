import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'roster-scim';

/**
 * Roster's version, from its package.json: the nearest one above this module that names the
 * package. The module runs from src/cli/ (tests, tsx), from the bundle in dist/bundle/ and from
 * node_modules/roster-scim/dist/bundle/ once installed, each at a different depth.
 */
export function rosterVersion(): string {
  for (let folder = import.meta.dirname; ; folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    }
    if (dirname(folder) === folder) throw new Error(`No package.json of ${PACKAGE_NAME} above ${import.meta.dirname}.`);
  }
}
