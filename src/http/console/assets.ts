import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';

/** One built file of the console, held in memory. */
export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  /** Vite puts a content hash in every name under assets/, so those never change. */
  readonly immutable: boolean;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The package's root: the nearest folder above this module that holds package.json. This
 * module runs from src/http/console/, from dist/http/console/ and from the bundle in
 * dist/bundle/, each at a different depth.
 */
function packageRoot(): string {
  let folder = import.meta.dirname;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) return import.meta.dirname;
    folder = parent;
  }
  return folder;
}

/** The built console (web/dist). */
export const CONSOLE_DIST = join(packageRoot(), 'web', 'dist');

/**
 * Reads every file of the built console into memory, keyed by its path under the console
 * (`assets/index-3f2a.js`). The build is a few hundred kilobytes; serving from a map also
 * means no request path ever reaches the file system. Undefined when the console is not built.
 */
export function loadConsoleAssets(dir: string = CONSOLE_DIST): ReadonlyMap<string, ConsoleAsset> | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const assets = new Map<string, ConsoleAsset>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const key = relative(dir, path).split(sep).join('/');
      const body = readFileSync(path);
      assets.set(key, {
        body,
        contentType: TYPES[extname(name)] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        immutable: key.startsWith('assets/'),
      });
    }
  };
  walk(dir);
  return assets;
}
