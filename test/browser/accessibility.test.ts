import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Result as AxeResult } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureChromium, launchChromium } from '../support/browser.js';
import { ensureConsoleBuilt } from '../support/console-build.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { GROUP_SCHEMA, USER_SCHEMA } from '../support/scim-client.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const chromiumPath = ensureChromium();

/** What the page sends back of each axe violation. */
interface AxeViolation extends Pick<AxeResult, 'id' | 'help'> {
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/**
 * WCAG 2.1 AA in a real browser: axe on every page of the console, and the keyboard paths an
 * audit found broken (focus kept after actions, Escape on tooltips, titles, reflow at 320 px,
 * names of controls, tab changes announced). Also token rotation, seen as an admin sees it.
 */
describe('console accessibility in Chromium', { skip: chromiumPath === undefined ? 'Chromium is not available' : false, timeout: 180_000 }, () => {
  let server: ConsoleServer;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tenantId: string;
  let operatorKey: string;
  let linkUrl: string;

  const api: ConsoleServer['api'] = (method, path, body) => server.api(method, path, body);
  const scim = async (method: string, path: string, bearer: string, body?: unknown): Promise<number> => {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.arrayBuffer();
    return response.status;
  };
  /** Runs axe (WCAG 2.0/2.1 A and AA rules) on the page as it is, and fails on any violation. */
  const audit = async (where: string, target: Page = page): Promise<void> => {
    await target.addScriptTag({ path: AXE });
    const violations = await target.evaluate<AxeViolation[]>(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))",
    );
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [], `axe on ${where}`);
  };
  const tab = async (name: string): Promise<void> => {
    await page.getByRole('navigation', { name: 'Tenant pages' }).getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  };
  /** A description of the focused element; "BODY" when the focus was dropped. */
  const focused = async (target: Page = page): Promise<string> => String(await target.evaluate("(() => { const e = document.activeElement; return e === null ? 'BODY' : e.tagName + ' ' + (e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 80); })()"));
  /** The focused element once it matches (focus moves after a render, a task later). */
  const focusedEventually = async (expected: RegExp): Promise<string> => {
    for (let tries = 0; ; tries++) {
      const now = await focused();
      if (expected.test(now) || tries >= 30) return now;
      await page.waitForTimeout(50);
    }
  };
  const overflow = async (): Promise<number> => Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));

  before(async () => {
    ensureConsoleBuilt();
    server = await startConsoleServer('a11y test');
    ({ origin, operatorKey } = server);
    const tenant = await api('POST', '/tenants', { name: 'Wexford', creator: { userName: 'founder@wexford.test', email: 'founder@wexford.test', displayName: 'Wyn Founder' } });
    tenantId = String(tenant.id);
    const issued = await api('POST', `/tenants/${tenantId}/tokens`, { name: 'okta' });
    const token = String(issued.token);
    // A user the admin group makes an admin (the "Managed by SCIM" tooltip), and three groups.
    const userStatus = await scim('POST', `/scim/v2/${tenantId}/Users`, token, { schemas: [USER_SCHEMA], userName: 'ada@wexford.test', name: { givenName: 'Ada', familyName: 'Byron' } });
    assert.equal(userStatus, 201);
    for (const name of ['Admins', 'Engineering', 'Sales']) assert.equal(await scim('POST', '/scim/v2/Groups', token, { schemas: [GROUP_SCHEMA], displayName: name }), 201);
    const groups = (await api('GET', `/tenants/${tenantId}/groups`)).groups as { id: string; displayName: string }[];
    const adminGroup = groups.find((g) => g.displayName === 'Admins')?.id;
    const users = (await api('GET', `/tenants/${tenantId}/members`)).members as { userId: string; userName: string }[];
    const ada = users.find((m) => m.userName === 'ada@wexford.test')?.userId;
    await api('PATCH', `/tenants/${tenantId}`, { settings: { adminGroupId: adminGroup } });
    await scim('PATCH', `/scim/v2/Groups/${String(adminGroup)}`, token, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: ada }] }] });
    linkUrl = String((await api('POST', `/tenants/${tenantId}/setup-links`, { note: 'IT admin' })).url);

    browser = await launchChromium(String(chromiumPath));
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, bypassCSP: true });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs an operator in with the focus kept on the button, on pages without axe violations', async () => {
    await page.goto(`${origin}/admin`);
    await page.getByLabel('Operator key').waitFor();
    assert.equal(await page.title(), 'Sign in · Roster');
    await audit('the sign-in page');
    await page.getByLabel('Operator key').fill('rok_wrong');
    await page.getByRole('button', { name: 'Sign in' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    assert.match(await focused(), /^BUTTON Sign in/, 'a failed sign-in leaves the focus on the button');
    await page.getByLabel('Operator key').fill(operatorKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    assert.equal(await page.title(), 'Tenants · Roster');
    await audit('the tenants page');
    const create = page.getByRole('button', { name: /^Create setup link/ }).first();
    const name = String(await create.getAttribute('aria-label'));
    assert.ok(name.startsWith(String(await create.innerText())), `the accessible name "${name}" starts with the visible text`);
  });

  it('shows a visible skip link and a focus ring of 3:1 or more', async () => {
    await page.getByRole('link', { name: 'Wexford' }).click();
    await page.getByRole('heading', { name: 'SCIM provisioning' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    assert.match(await focused(), /Skip to content/);
    await skip.waitFor();
    // Visible means on the screen, not only rendered: a link parked off-screen passes waitFor().
    const box = await skip.boundingBox();
    assert.ok(box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 860 && box.width > 10 && box.height > 10, `the focused skip link is on screen: ${JSON.stringify(box)}`);
    const colours = await page.evaluate<string[]>('(() => { const s = getComputedStyle(document.activeElement); return [s.color, s.backgroundColor]; })()');
    assert.notEqual(colours[0], colours[1], 'the skip link\'s text is not the colour of its background');
    await page.keyboard.press('Tab');
    const ring = String(await page.evaluate('getComputedStyle(document.activeElement).outlineColor'));
    assert.equal(ring, 'rgb(255, 255, 255)', 'white on the dark top bar');
    const drawn = await page.evaluate<string[]>('(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()');
    assert.ok(drawn[0] !== 'none' && parseFloat(String(drawn[1])) >= 2, `the ring is drawn, 2px or more: ${drawn.join(' ')}`);
    await page.getByLabel('SCIM base URL', { exact: true }).focus();
    assert.equal(String(await page.evaluate('getComputedStyle(document.activeElement).outlineColor')), 'rgb(30, 58, 138)', 'dark blue on the light page (10:1 on white)');
  });

  it('keeps page titles current and announces tab changes', async () => {
    assert.equal(await page.title(), 'SCIM · Wexford · Roster');
    for (const [name, title] of [['Members', 'Members'], ['Groups', 'Groups'], ['Activity', 'Activity'], ['Settings', 'Settings'], ['SCIM', 'SCIM']] as const) {
      await tab(name);
      assert.equal(await page.title(), `${title} · Wexford · Roster`);
      assert.equal(await page.getByTestId('page-announcement').innerText(), `${title} page`);
      assert.equal(await page.getByTestId('page-announcement').getAttribute('role'), 'status');
      await audit(`the ${name} page`);
    }
    await page.getByRole('link', { name: 'All tenants' }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    assert.equal(await page.title(), 'Tenants · Roster', 'the title follows "All tenants"');
    await page.getByRole('link', { name: 'Wexford' }).click();
    await page.getByRole('heading', { name: 'SCIM provisioning' }).waitFor();
  });

  it('shows both base URL forms, copyable', async () => {
    assert.equal(await page.getByLabel('SCIM base URL', { exact: true }).inputValue(), `${origin}/scim/v2/${tenantId}`);
    assert.equal(await page.getByLabel('Token-only SCIM base URL').inputValue(), `${origin}/scim/v2`);
    await page.getByLabel('Identity provider', { exact: true }).selectOption('other');
    assert.equal(await page.getByLabel('SCIM base URL, where the client or your product\'s guide gives /scim/v2 alone (Other SCIM 2.0 provider)').inputValue(), `${origin}/scim/v2`);
  });

  it('rotates a token behind a confirmation, keeps the old one working, and keeps the focus', async () => {
    const tokens = (await api('GET', `/tenants/${tenantId}/tokens`)).tokens as { id: string }[];
    const oldId = String(tokens[0]?.id);
    await page.getByRole('button', { name: 'Rotate token okta' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate "okta"?' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /The old token is not revoked: it keeps working/);
    await dialog.getByLabel('The old token keeps working').selectOption('24');
    await dialog.getByRole('button', { name: 'Generate the new token' }).click();
    const box = page.locator('.token-box');
    await box.waitFor();
    assert.match(await box.innerText(), /The old token still works until/);
    assert.match(await focusedEventually(/^DIV /), /^DIV /, 'the focus is on the new token\'s box');
    const secret = await box.getByLabel('Bearer token').inputValue();
    assert.equal(await scim('GET', '/scim/v2/Users', secret), 200, 'the new token works');
    await page.screenshot({ path: join(SCREENSHOTS, '12-token-rotated.png'), fullPage: false, clip: { x: 0, y: 0, width: 1280, height: 860 } });
    await box.getByRole('button', { name: 'I have copied it' }).click();
    assert.match(await focused(), /^INPUT/, 'the focus returns to the token name');

    // Generate a token, then revoke it: its secret leaves the screen, and the focus lands on the notice.
    await page.getByLabel('Token name', { exact: true }).fill('spare');
    await page.getByRole('button', { name: 'Generate New Token' }).click();
    await box.waitFor();
    assert.match(await focusedEventually(/^DIV /), /^DIV /);
    await page.getByRole('button', { name: 'Revoke token spare' }).click();
    await page.getByRole('dialog', { name: 'Revoke "spare"?' }).getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('Token "spare" revoked').waitFor();
    assert.equal(await box.count(), 0, 'the revoked secret is no longer on screen');
    assert.match(await focusedEventually(/^P Token "spare" revoked/), /^P Token "spare" revoked/);
    const listed = (await api('GET', `/tenants/${tenantId}/tokens`)).tokens as { id: string; expiresAt: string | null; revokedAt: string | null }[];
    assert.ok(listed.find((t) => t.id === oldId)?.expiresAt !== null, 'the old token ends after the overlap');
  });

  it('lets Escape dismiss the "Managed by SCIM" tooltip', async () => {
    await tab('Members');
    const anchor = page.locator('.tooltip-anchor').first();
    await anchor.focus();
    const tip = page.getByRole('tooltip').first();
    assert.equal(await tip.isVisible(), true);
    await page.keyboard.press('Escape');
    assert.equal(await tip.isVisible(), false);
  });

  it('opens a member panel from the keyboard, explains what SCIM manages, and gives the focus back on Escape', async () => {
    await tab('Members');
    const opener = page.locator('tr[data-username="ada@wexford.test"] button[data-user-id]');
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Change by hand' }).waitFor();
    assert.match(await focused(), /^BUTTON Close/, 'the focus moves into the panel');
    assert.match(await dialog.innerText(), /Managed by SCIM: this role comes from the member's groups/);
    assert.equal(await dialog.getByRole('button', { name: 'Change role' }).getAttribute('aria-disabled'), 'true');
    assert.equal(await dialog.getByRole('button', { name: 'Deactivate' }).getAttribute('aria-disabled'), 'true');
    await audit('the member panel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate('document.activeElement?.dataset.userId !== undefined'), true, 'the focus is back on the member\'s button');
    await page.getByLabel('Status', { exact: true }).selectOption('archived');
    await page.getByText('No members match these filters.').waitFor();
    await audit('the Members page with filters');
    await page.getByLabel('Status', { exact: true }).selectOption('');
  });

  it('lists a group\'s members behind a button that says whether the list is open', async () => {
    await tab('Groups');
    const count = page.getByRole('button', { name: '1 member of Admins' });
    await count.click();
    assert.equal(await count.getAttribute('aria-expanded'), 'true');
    await page.locator('#group-members').getByRole('cell', { name: 'ada@wexford.test' }).waitFor();
    assert.match(await focused(), /^BUTTON 1 member of Admins/);
    await audit('a group\'s member list');
    await count.click();
    assert.equal(await page.locator('#group-members').count(), 0);
  });

  it('names each access-group checkbox, orders the table by priority, and keeps the focus on Save and the priority buttons', async () => {
    await tab('Groups');
    for (const name of ['Engineering', 'Sales']) await page.getByRole('checkbox', { name: `Access group: ${name}` }).check();
    await page.getByRole('button', { name: 'Move Sales up' }).click();
    assert.match(await focused(), /Move Sales up/, 'the focus stays on the pressed button after the move');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/^Saved\./).waitFor();
    assert.match(await focused(), /^BUTTON Save/);
    // The table follows the saved order once the settings are read again.
    const firstRows = page.locator('table tbody tr td:first-child > div:first-child');
    for (let tries = 0; (await firstRows.first().innerText()) !== 'Sales'; tries++) {
      assert.ok(tries < 50, 'the table is reordered after the save');
      await page.waitForTimeout(100);
    }
    assert.deepEqual((await firstRows.allInnerTexts()).slice(0, 2), ['Sales', 'Engineering'], 'access groups first, in priority order');
    await audit('the Groups page with access groups');
  });

  it('reflows SCIM, Settings, Groups and Members at 320 px without sideways scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    for (const name of ['SCIM', 'Settings', 'Groups', 'Members']) {
      await tab(name);
      const wide = await page.evaluate("[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap, .tabs')).slice(0, 8).map((e) => e.tagName + '.' + e.className + '#' + e.id + '@' + Math.round(e.getBoundingClientRect().right)).join(', ')");
      assert.ok((await overflow()) <= 0, `${name} is ${await overflow()}px wider than the screen: ${String(wide)}`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('tells the customer whose setup link was revoked to ask for a new one', async () => {
    const customer = await browser.newContext({ viewport: { width: 1280, height: 860 }, bypassCSP: true });
    const customerPage = await customer.newPage();
    await customerPage.goto(linkUrl);
    await customerPage.getByRole('heading', { name: 'SCIM provisioning' }).waitFor();
    const links = (await api('GET', `/tenants/${tenantId}/setup-links`)).setupLinks as { id: string }[];
    for (const link of links) await api('DELETE', `/tenants/${tenantId}/setup-links/${link.id}`);
    await customerPage.goto(linkUrl);
    await customerPage.getByRole('heading', { name: 'This setup link no longer works' }).waitFor();
    assert.match(await customerPage.locator('main').innerText(), /Ask your provider .* for a new setup link/);
    assert.equal(await customerPage.getByLabel('Operator key').isVisible(), false, 'the operator form is folded away');
    await audit('the dead setup link page', customerPage);
    await customer.close();
  });

  it('signs out to a page titled for signing in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Operator key').waitFor();
    assert.equal(await page.title(), 'Sign in · Roster');
  });
});
