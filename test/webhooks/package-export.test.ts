import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as signature from '../../src/service/webhooks/signature.js';

interface PackageJson {
  readonly exports: Record<string, { readonly types: string; readonly default: string } | string>;
}

describe('the roster/webhooks export', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;
  const entry = pkg.exports['./webhooks'];

  it('points at the compiled signature module and its declarations', () => {
    assert.ok(typeof entry === 'object');
    assert.equal(entry.default, './dist/service/webhooks/signature.js', 'built from src/service/webhooks/signature.ts by tsconfig.build.json');
  });

  it('declares exactly what the module exports', () => {
    assert.ok(typeof entry === 'object');
    const declarations = readFileSync(new URL(`../../${entry.types}`, import.meta.url), 'utf8');
    const declared = [...declarations.matchAll(/^export declare (?:const|function) (\w+)/gm)].map((match) => match[1]).sort();
    assert.deepEqual(declared, Object.keys(signature).sort());
    assert.equal(signature.SIGNATURE_HEADER, 'roster-signature');
    assert.match(declarations, /DEFAULT_TOLERANCE_SECONDS = 300;/);
    assert.equal(signature.DEFAULT_TOLERANCE_SECONDS, 300);
  });
});
