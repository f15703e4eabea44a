import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type * as published from '../../types/webhooks.js';
import * as signature from '../../src/service/webhooks/signature.js';

// The compiler holds types/webhooks.d.ts (the types of `roster-scim/webhooks`) to the module.
const declaredAsImplemented: typeof published = signature;

/** What a typed client does with the helper: a union of event types, narrowed by `type`. */
type UserCreated = published.WebhookEvent<'user.created', { readonly user: { readonly userName: string } }>;
type WebhookTest = published.WebhookEvent<'webhook.test', { readonly webhook: { readonly url: string } }>;
function describeEvent(...args: Parameters<typeof published.constructEvent>): string {
  const event = signature.constructEvent<UserCreated | WebhookTest>(...args);
  return event.type === 'user.created' ? event.data.user.userName : event.data.webhook.url;
}

interface PackageJson {
  readonly name: string;
  readonly exports: Record<string, { readonly types: string; readonly default: string } | string>;
  readonly files: readonly string[];
}

describe('the roster-scim/webhooks export', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;
  const entry = pkg.exports['./webhooks'];

  it('is the package roster-scim\'s (the npm name roster belongs to another package)', () => {
    assert.equal(pkg.name, 'roster-scim');
  });

  it('points at the compiled signature module and its declarations, both in the published files', () => {
    assert.ok(typeof entry === 'object');
    for (const target of [entry.default, entry.types]) {
      const path = target.replace(/^\.\//, '');
      assert.ok(pkg.files.some((listed) => listed === path || (listed.endsWith('/') && path.startsWith(listed))), `${path} is in package.json's files`);
    }
    assert.equal(entry.default, './dist/service/webhooks/signature.js', 'built from src/service/webhooks/signature.ts by tsconfig.build.json');
  });

  it('types a union of events, narrowed by type', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = JSON.stringify({ schemaVersion: 1, id: 'e', seq: 1, type: 'webhook.test', tenantId: null, occurredAt: '', resource: { type: 'Webhook', id: 'w' }, data: { webhook: { url: 'https://hooks.example/' } } });
    assert.equal(describeEvent(body, declaredAsImplemented.webhookHeaders(secret, 'e', body), secret), 'https://hooks.example/');
  });

  it('declares exactly what the module exports', () => {
    assert.ok(typeof entry === 'object');
    const declarations = readFileSync(new URL(`../../${entry.types}`, import.meta.url), 'utf8');
    const declared = [...declarations.matchAll(/^export declare (?:const|function|class) (\w+)/gm)].map((match) => match[1]).sort();
    assert.deepEqual(declared, Object.keys(signature).sort());
    assert.deepEqual(declared, ['DEFAULT_TOLERANCE_SECONDS', 'WebhookVerificationError', 'constructEvent', 'sign', 'verify', 'webhookHeaders']);
    assert.match(declarations, /DEFAULT_TOLERANCE_SECONDS = 300;/);
    assert.equal(signature.DEFAULT_TOLERANCE_SECONDS, 300);
  });
});
