import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONSOLE_CSP } from '../../src/http/console/plugin.js';
import { testEngines } from '../support/engines.js';
import { startServer, type TestServer } from '../support/scim-client.js';
import { ensureConsoleBuilt } from '../support/console-build.js';

const engine = testEngines()[0];

describe('the console page', () => {
  let server: TestServer;
  before(async () => {
    ensureConsoleBuilt();
    if (engine === undefined) throw new Error('no engine');
    server = await startServer(engine);
  });
  after(() => server.close());

  it('serves the console at /admin with a strict Content-Security-Policy', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/admin' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    const csp = String(response.headers['content-security-policy']);
    assert.equal(csp, CONSOLE_CSP);
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"]) {
      assert.ok(csp.includes(directive), `CSP has ${directive}`);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/, 'nothing inline, nothing from elsewhere');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
    assert.equal(response.headers['x-frame-options'], 'DENY');
  });

  it('answers every console route with the app, and its assets with long caching', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/admin/tenants/abc/members' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<div id="root">/);
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    assert.ok(script, 'index.html loads a bundled script');
    const asset = await server.app.inject({ method: 'GET', url: script });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    assert.match(String(asset.headers['cache-control']), /immutable/);
    assert.equal((await server.app.inject({ method: 'GET', url: '/admin/assets/nope.js' })).statusCode, 404);
  });

  it('loads nothing from another origin', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/admin' });
    assert.doesNotMatch(page.body, /(src|href)="(https?:)?\/\//, 'no external scripts, styles or fonts');
    assert.doesNotMatch(page.body, /<script>(?!<\/script>)|style="/, 'no inline script or style');
  });
});
