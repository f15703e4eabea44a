import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/**
 * The layer and cycle checks of `npm run lint` (dependency-cruiser.config.js), run through
 * dependency-cruiser's own API: they pass on Roster's tree, and each fails on a module set
 * made here with one deliberate upward import or cycle.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `rule from → to` for every violation of a cruise of `paths` under `baseDir`. */
async function violations(options: ICruiseOptions, baseDir: string, paths: readonly string[]): Promise<string[]> {
  const tsConfig = extractTSConfig(join(baseDir, 'tsconfig.json'));
  const { output } = await cruise([...paths], { ...options, baseDir }, {}, { tsConfig });
  if (typeof output === 'string') throw new Error('expected a cruise result, got a report');
  const result: ICruiseResult = output;
  return result.summary.violations.map((violation) => `${violation.rule.name} ${violation.from} → ${violation.to}`).sort();
}

describe('the lint checks of layers and cycles (dependency-cruiser.config.js)', () => {
  let options: ICruiseOptions;
  let fixture: string;

  /** Writes a module of the synthetic tree. */
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  };

  before(async () => {
    options = await extractDepcruiseOptions(join(ROOT, 'dependency-cruiser.config.js'));
    fixture = mkdtempSync(join(tmpdir(), 'roster-layers-'));
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  });
  after(() => rmSync(fixture, { recursive: true, force: true }));

  it('passes on the real tree', async () => {
    assert.deepEqual(await violations(options, ROOT, ['src', 'web/src']), []);
  });

  it('fails on an import from each layer to the one above it, and on what a layer never imports', async () => {
    const layers = ['schema', 'scim', 'store', 'policy', 'service', 'http', 'cli'];
    for (const layer of layers) write(`src/${layer}/inner.ts`, 'export const inner = 1;\n');
    const expected: string[] = [];
    for (const [index, layer] of layers.slice(0, -1).entries()) {
      const upper = layers[index + 1] ?? '';
      write(`src/${layer}/upward.ts`, `import { inner } from '../${upper}/inner.js';\nexport const upward = inner;\n`);
      expected.push(`${layer}-not-upward src/${layer}/upward.ts → src/${upper}/inner.ts`);
    }
    // Allowed: a layer importing the one below it.
    write('src/service/downward.ts', "import { inner } from '../policy/inner.js';\nexport const downward = inner;\n");
    write('src/store/sql/engine.ts', 'export const engine = 1;\n');
    for (const layer of ['http', 'cli']) {
      write(`src/${layer}/sql.ts`, "import { engine } from '../store/sql/engine.js';\nexport const sql = engine;\n");
      expected.push(`${layer}-never src/${layer}/sql.ts → src/store/sql/engine.ts`);
    }
    for (const layer of ['schema', 'scim']) {
      write(`src/${layer}/io.ts`, "import { readFileSync } from 'node:fs';\nexport const io = readFileSync;\n");
      expected.push(`${layer}-no-io src/${layer}/io.ts → fs`);
    }
    write('src/store/sql/migrations/001-first.ts', "import { engine } from '../engine.js';\nexport const first = engine;\n");
    expected.push('migrations-frozen src/store/sql/migrations/001-first.ts → src/store/sql/engine.ts');
    write('src/config.ts', "import { inner } from './service/inner.js';\nexport const config = inner;\n");
    expected.push('config-is-a-leaf src/config.ts → src/service/inner.ts');
    write('web/src/page.ts', "import { inner } from '../../src/schema/inner.js';\nexport const page = inner;\n");
    expected.push('console-over-the-api web/src/page.ts → src/schema/inner.ts');
    assert.deepEqual(await violations(options, fixture, ['src', 'web']), expected.sort());
  });

  it('fails on a cycle, also when its imports are type-only', async () => {
    for (const folder of ['src', 'web']) rmSync(join(fixture, folder), { recursive: true, force: true });
    write('src/scim/a.ts', "import type { B } from './b.js';\nexport interface A { readonly b?: B }\n");
    write('src/scim/b.ts', "import type { A } from './a.js';\nexport interface B { readonly a?: A }\n");
    write('src/policy/settings.ts', "import { schema } from './settings-schema.js';\nexport const settings = schema;\n");
    write('src/policy/settings-schema.ts', "import { settings } from './settings.js';\nexport const schema = settings;\n");
    const found = await violations(options, fixture, ['src']);
    // Each cycle is reported once, from the module the cruise met first.
    assert.deepEqual(found, ['no-cycles src/policy/settings-schema.ts → src/policy/settings.ts', 'no-cycles src/scim/a.ts → src/scim/b.ts']);
  });

  it('lets the console import the settings type, and nothing else of src/', async () => {
    for (const folder of ['src', 'web']) rmSync(join(fixture, folder), { recursive: true, force: true });
    write('src/policy/settings-schema.ts', 'export const Settings = {};\nexport type TenantSettings = { readonly seatLimit: number };\n');
    write('web/src/types.ts', "export type { TenantSettings } from '../../src/policy/settings-schema.js';\n");
    assert.deepEqual(await violations(options, fixture, ['src', 'web']), []);
    write('web/src/value.ts', "import { Settings } from '../../src/policy/settings-schema.js';\nexport const schema = Settings;\n");
    assert.deepEqual(await violations(options, fixture, ['src', 'web']), ['console-settings-type-only web/src/value.ts → src/policy/settings-schema.ts']);
  });

  it('lets the client package share the webhook signature module only, and the console take its types only', async () => {
    for (const folder of ['src', 'web', 'packages']) rmSync(join(fixture, folder), { recursive: true, force: true });
    write('src/service/webhooks/signature.ts', 'export const verify = (): boolean => true;\n');
    write('src/service/tenants.ts', 'export const tenants = 1;\n');
    write('packages/client/src/api-types.ts', 'export const paths = {};\nexport type Tenant = { readonly id: string };\n');
    write('packages/client/src/webhooks.ts', "export { verify } from '../../../src/service/webhooks/signature.js';\n");
    write('web/src/types.ts', "export type { Tenant } from '../../packages/client/src/api-types.js';\n");
    assert.deepEqual(await violations(options, fixture, ['src', 'web', 'packages']), []);
    write('packages/client/src/tenants.ts', "export { tenants } from '../../../src/service/tenants.js';\n");
    write('web/src/paths.ts', "import { paths } from '../../packages/client/src/api-types.js';\nexport const all = paths;\n");
    assert.deepEqual(await violations(options, fixture, ['src', 'web', 'packages']), [
      'client-shares-webhook-signature-only packages/client/src/tenants.ts → src/service/tenants.ts',
      'console-api-types-only web/src/paths.ts → packages/client/src/api-types.ts',
    ]);
  });
});
