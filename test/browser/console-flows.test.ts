import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureChromium, launchChromium } from '../support/browser.js';
import { ensureConsoleBuilt } from '../support/console-build.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { ENTERPRISE, USER_SCHEMA, GROUP_SCHEMA } from '../support/scim-client.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const chromiumPath = ensureChromium();

/**
 * The seed flows in a real browser against a real Roster server (port 0): an IT admin opens a
 * setup link, enables SCIM, generates a token, and watches what the identity provider's
 * requests (made here with fetch, as an IdP would) do. Each step saves a screenshot for the
 * README.
 */
describe('admin console in Chromium', { skip: chromiumPath === undefined ? 'Chromium is not available' : false, timeout: 180_000 }, () => {
  let server: ConsoleServer;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let tenantId: string;
  let operatorKey: string;
  let token = '';
  let userId = '';
  let groupId = '';

  const api: ConsoleServer['api'] = (method, path, body) => server.api(method, path, body);
  /** A SCIM request as the identity provider sends it, with the token the admin copied. */
  const scim = async (method: string, path: string, body?: unknown, bearer = token): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${origin}/scim/v2/${tenantId}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/scim+json', 'user-agent': 'Azure AD SCIM Client (browser test)' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
  const shot = async (name: string, fullPage = true): Promise<void> => {
    await page.screenshot({ path: join(SCREENSHOTS, name), fullPage });
  };
  const tab = async (name: string): Promise<void> => {
    await page.getByRole('navigation', { name: 'Tenant pages' }).getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  };
  const memberRow = (userName: string) => page.locator(`tr[data-username="${userName}"]`);

  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startConsoleServer('browser test');
    ({ origin, operatorKey } = server);

    // The SaaS team's side: a tenant with its creator, SCIM not yet on, and a setup link for its IT admin.
    const tenant = await api('POST', '/tenants', { name: 'Hinsley', creator: { userName: 'founder@hinsley.test', email: 'founder@hinsley.test', displayName: 'Fran Founder' } });
    tenantId = String(tenant.id);
    await api('PATCH', `/tenants/${tenantId}`, { settings: { scimEnabled: false } });
    const link = await api('POST', `/tenants/${tenantId}/setup-links`, { note: 'IT admin' });

    browser = await launchChromium(String(chromiumPath));
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // The console must make no request to any other origin (fonts and assets are bundled).
    page.on('request', (request) => assert.ok(request.url().startsWith(origin), `request to another origin: ${request.url()}`));
    await page.goto(String(link.url));
    await page.getByRole('heading', { name: 'SCIM provisioning' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens the setup link on the SCIM page and enables SCIM', async () => {
    assert.ok(!page.url().includes('token='), 'the setup link secret leaves the address bar');
    await shot('01-scim-disabled.png');
    await page.getByRole('button', { name: 'Enable SCIM Provisioning' }).click();
    await page.getByLabel('SCIM base URL', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('SCIM base URL', { exact: true }).inputValue(), `${origin}/scim/v2/${tenantId}`);
  });

  it('generates a token shown once, and the token works for a real SCIM request', async () => {
    await page.getByLabel('Token name', { exact: true }).fill('Entra ID');
    await page.getByRole('button', { name: 'Generate New Token' }).click();
    const box = page.locator('.token-box');
    await box.waitFor();
    token = await box.getByLabel('Bearer token').inputValue();
    assert.match(token, /^rst_/);
    assert.match(await box.innerText(), /will not be shown again/);
    await page.getByLabel('Identity provider', { exact: true }).selectOption('entra');
    await page.getByRole('heading', { name: 'Microsoft Entra ID' }).waitFor();
    // The guide gives the base URL under Entra's own name for it, copyable next to the steps.
    assert.equal(await page.getByLabel('Tenant URL (Microsoft Entra ID)').inputValue(), `${origin}/scim/v2/${tenantId}`);
    await shot('02-token-shown-once.png');
    // The choice is the tenant's, so every admin of it sees the same guide.
    for (let tries = 0; ((await api('GET', `/tenants/${tenantId}`)).settings as { identityProvider: unknown }).identityProvider !== 'entra'; tries++) {
      assert.ok(tries < 50, 'the identity provider picked is stored on the tenant');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const created = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'ada@hinsley.test',
      externalId: 'entra-ada',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      displayName: 'Ada Lovelace',
      emails: [{ value: 'ada@hinsley.test', type: 'work', primary: true }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    userId = String(created.body.id);

    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.locator('.token-box').count(), 0, 'the token is gone once dismissed');
    await page.getByRole('button', { name: 'Refresh' }).first().click();
    await page.getByText('POST /scim/v2/').first().waitFor();

    // A request with a wrong token is counted in the connection status, not logged.
    assert.equal((await scim('GET', '/Users', undefined, 'rst_wrong')).status, 401);
    await server.services.provisioningLog.recorder.flush();
    await page.getByRole('button', { name: 'Refresh' }).first().click();
    await page.getByText('1 in the last 24 hours').waitFor();
    assert.match(await page.locator('section[aria-labelledby="connection"]').innerText(), /Azure AD SCIM Client \(browser test\)/);
  });

  it('shows the provisioned user on the Members page', async () => {
    await tab('Members');
    await memberRow('ada@hinsley.test').waitFor();
    assert.match(await memberRow('ada@hinsley.test').innerText(), /active/);
    await shot('03-user-appears.png');
  });

  it('searches, filters, sorts and pages the members on the server, archived ones hidden unless asked for', async () => {
    // Fifty members made by hand (cheap: no SCIM round trips), so the list has a second page.
    for (let i = 1; i <= 50; i++) {
      const n = String(i).padStart(2, '0');
      await api('POST', `/tenants/${tenantId}/members`, { userName: `staff-${n}@hinsley.test`, email: `staff-${n}@hinsley.test`, displayName: `Staff ${n}` });
    }
    // An IdP's test user, deleted at once: it stays archived, as JumpCloud's Test Connection user does.
    const probe = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'jc-test-user@hinsley.test' });
    assert.equal((await scim('DELETE', `/Users/${String(probe.body.id)}`)).status, 204);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const count = page.getByTestId('member-count');
    await count.getByText('50 members shown, more to load').waitFor();
    assert.equal(await memberRow('jc-test-user@hinsley.test').count(), 0, 'archived members are hidden by default');
    await shot('13-members-page.png', false);

    // A second page that fails to load leaves the first one shown, and "Load more" tries again.
    const nextPage = /\/api\/v1\/tenants\/[^/]+\/members\?.*after=/;
    await page.route(nextPage, (route) => route.abort(), { times: 1 });
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('alert').getByText('Could not load more members').waitFor();
    await count.getByText('50 members shown, more to load').waitFor();
    assert.equal(await memberRow('staff-01@hinsley.test').count(), 1, 'the loaded page stays shown');
    await page.unroute(nextPage);

    await page.getByRole('button', { name: 'Load more' }).click();
    await count.getByText('52 members shown').waitFor();
    assert.equal(await page.getByText('Could not load more members').count(), 0, 'the error goes once a page loads');
    // The first row the second page added (by user name: ada, founder, staff-01 … staff-48 first) takes the focus.
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Staff 49');

    await page.getByLabel('Search', { exact: true }).fill('staff 07');
    await count.getByText('1 member shown').waitFor();
    assert.equal(await memberRow('staff-07@hinsley.test').count(), 1);
    await page.getByLabel('Search', { exact: true }).fill('');
    await count.getByText('50 members shown, more to load').waitFor();

    await page.getByLabel('Source', { exact: true }).selectOption('scim');
    await count.getByText('1 member shown').waitFor();
    await memberRow('ada@hinsley.test').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('archived');
    await memberRow('jc-test-user@hinsley.test').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Source', { exact: true }).selectOption('manual');
    await page.getByLabel('Sort', { exact: true }).selectOption('-createdAt');
    await page.locator('tbody tr').first().and(memberRow('staff-50@hinsley.test')).waitFor();
    await page.getByLabel('Source', { exact: true }).selectOption('');
    await page.getByLabel('Sort', { exact: true }).selectOption('userName');
    await count.getByText('50 members shown, more to load').waitFor();
  });

  it('shows a member\'s whole profile, and activates a member refused a seat once seats are raised', async () => {
    // Every seat taken (the founder, Ada and the fifty staff): Grace is created inactive.
    // And a custom attribute of the tenant's own extension, which the panel shows under its schema.
    const custom = 'urn:ietf:params:scim:schemas:extension:hinsley:2.0:User';
    await api('PATCH', `/tenants/${tenantId}`, { settings: { seatLimit: 52, seatPolicy: 'createInactive', extensionSchemas: [{ id: custom, attributes: [{ name: 'badge', type: 'string' }] }] } });
    const grace = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE, custom],
      [custom]: { badge: 'NAVY-1906' },
      userName: 'grace@hinsley.test',
      externalId: 'entra-grace',
      displayName: 'Grace Hopper',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      title: 'Rear Admiral',
      emails: [{ value: 'grace@hinsley.test', type: 'work', primary: true }],
      phoneNumbers: [{ value: '+1 555 0199', type: 'work' }],
      addresses: [{ type: 'work', locality: 'Arlington', region: 'VA', country: 'US' }],
      preferredLanguage: 'en-US',
      locale: 'en-US',
      timezone: 'America/New_York',
      [ENTERPRISE]: { department: 'Navy', employeeNumber: '1906' },
    });
    assert.equal(grace.status, 201, JSON.stringify(grace.body));
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = memberRow('grace@hinsley.test');
    await row.getByText('inactive').waitFor();
    await row.getByRole('button', { name: 'Grace Hopper' }).click();
    const dialog = page.getByRole('dialog', { name: 'Grace Hopper' });
    await dialog.getByText('Rear Admiral').waitFor();
    const text = await dialog.innerText();
    for (const shown of [/entra-grace/, /\+1 555 0199 \(work\)/, /Arlington, VA, US/, /America\/New_York/, /Navy/, /1906/, /en-US/, /badge\s+NAVY-1906/]) assert.match(text, shown);
    assert.match(await dialog.getByRole('region', { name: `Custom attributes: ${custom}` }).innerText(), /NAVY-1906/);
    await shot('14-member-detail.png', false);

    const activate = dialog.getByRole('button', { name: 'Activate' });
    await activate.click();
    await dialog.getByRole('alert').getByText(/No seat is free/).waitFor();
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Activate', 'the focus stays on the button');
    await api('PATCH', `/tenants/${tenantId}`, { settings: { seatLimit: 53 } });
    await activate.click();
    await dialog.getByText('Grace Hopper is now active.').waitFor();
    // SCIM decides a provisioned member's status from here: the button stays, refused in words.
    const deactivate = dialog.getByRole('button', { name: 'Deactivate' });
    assert.equal(await deactivate.getAttribute('aria-disabled'), 'true');
    assert.match(text + (await dialog.innerText()), /Managed by SCIM: this member's status follows your identity provider/);
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Deactivate', 'the focus stays on the same button');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Grace Hopper', 'the focus returns to the member');
    await row.getByText('active', { exact: true }).waitFor();
    await api('PATCH', `/tenants/${tenantId}`, { settings: { seatLimit: null, seatPolicy: 'reject', extensionSchemas: [] } });

    // A role changed by hand, for a member made by hand.
    await memberRow('staff-01@hinsley.test').getByRole('button', { name: 'Staff 01' }).click();
    const staff = page.getByRole('dialog', { name: 'Staff 01' });
    await staff.getByLabel('Role', { exact: true }).fill('billing');
    await staff.getByRole('button', { name: 'Change role' }).click();
    await staff.getByText('Staff 01\'s role is now billing.').waitFor();
    await staff.getByRole('button', { name: 'Close' }).click();
    assert.match(await memberRow('staff-01@hinsley.test').locator('.role-cell').innerText(), /^billing/);
    await page.getByLabel('Role', { exact: true }).selectOption('billing');
    await page.getByTestId('member-count').getByText('1 member shown').waitFor();
    await memberRow('staff-01@hinsley.test').waitFor();
    await page.getByLabel('Role', { exact: true }).selectOption('');
  });

  it('designates the admin group, and a PATCH from the IdP makes the member an admin', async () => {
    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Hinsley Admins', externalId: 'entra-admins' });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    groupId = String(group.body.id);
    await tab('Groups');
    await page.getByLabel('Admin group', { exact: true }).selectOption({ label: 'Hinsley Admins' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await shot('04-admin-group.png');

    const patch = await scim('PATCH', `/Groups/${groupId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Add', path: 'members', value: [{ value: userId }] }] });
    assert.ok(patch.status === 200 || patch.status === 204, JSON.stringify(patch.body));
    await tab('Members');
    const row = memberRow('ada@hinsley.test');
    await row.getByText('Managed by SCIM').waitFor();
    assert.match(await row.locator('.role-cell').innerText(), /^admin/);
    await row.getByText('Managed by SCIM').focus();
    await shot('05-role-managed-by-scim.png');
  });

  it('lists each group\'s member count, and its members by type and name', async () => {
    await tab('Groups');
    const count = page.getByRole('button', { name: '1 member of Hinsley Admins' });
    await count.click();
    assert.equal(await count.getAttribute('aria-expanded'), 'true');
    const list = page.locator('#group-members');
    await list.getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    assert.match(await list.locator('tbody tr').innerText(), /Ada Lovelace\s+User/);
    await list.scrollIntoViewIfNeeded();
    await shot('15-group-members.png');
  });

  it('reads every group page by page, past the first page the API answers', async () => {
    const staff = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Hinsley Staff', externalId: 'entra-staff' });
    assert.equal(staff.status, 201, JSON.stringify(staff.body));
    // Pages of one group stand in for a tenant with more groups than one page holds (1,000).
    const listCalls: string[] = [];
    const groupList = /\/api\/v1\/tenants\/[^/]+\/groups\?/;
    await page.route(groupList, async (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '1');
      listCalls.push(url.search);
      await route.continue({ url: url.toString() });
    });
    try {
      await tab('Members');
      await tab('Groups');
      await page.getByLabel('Role for Hinsley Staff').waitFor();
      assert.deepEqual(await page.getByLabel('Admin group', { exact: true }).locator('option').allInnerTexts(), ['No admin group', 'Hinsley Admins', 'Hinsley Staff']);
      assert.ok(listCalls.some((search) => search.includes('after=')), 'the console followed the cursor');
    } finally {
      await page.unroute(groupList);
      assert.equal((await scim('DELETE', `/Groups/${String(staff.body.id)}`)).status, 204);
    }
  });

  it('seed 003: with automatic sync off, lists exactly what will change, discards one member\'s changes, and syncs what it showed', async () => {
    // Lin is a member already, in a group that gives nothing yet.
    const linUser = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'lin@hinsley.test', displayName: 'Lin Chen', emails: [{ value: 'lin@hinsley.test', primary: true }] });
    assert.equal(linUser.status, 201, JSON.stringify(linUser.body));
    const interviewers = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Interviewers', members: [{ value: linUser.body.id }] });
    assert.equal(interviewers.status, 201, JSON.stringify(interviewers.body));

    await tab('Groups');
    const toggle = page.getByRole('switch');
    assert.equal(await toggle.getAttribute('aria-checked'), 'true');
    await toggle.click();
    await page.getByText('Automatic sync is off').waitFor();
    assert.equal(await page.getByRole('switch').getAttribute('aria-checked'), 'false');

    // The IdP's changes arrive: Ada leaves the admin group, Bob is provisioned.
    const patch = await scim('PATCH', `/Groups/${groupId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Remove', path: 'members', value: [{ value: userId }] }] });
    assert.ok(patch.status === 200 || patch.status === 204, JSON.stringify(patch.body));
    const bob = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'bob@hinsley.test', emails: [{ value: 'bob@hinsley.test', primary: true }] });
    assert.equal(bob.status, 201, JSON.stringify(bob.body));
    await tab('Members');
    await tab('Groups');
    const pending = page.getByRole('list', { name: 'Pending changes' });
    const entry = (who: string) => pending.locator(':scope > li', { hasText: who });
    await page.getByRole('heading', { name: /Pending changes\s*2 members/ }).waitFor();
    const ada = await entry('ada@hinsley.test').innerText();
    assert.match(ada, /Ada Lovelace \(ada@hinsley\.test\)/, 'named as people know the member');
    assert.match(ada, /removed from Hinsley Admins/);
    assert.match(ada, /role admin → member/);
    assert.match(await entry('bob@hinsley.test').innerText(), /becomes a member/);

    // A mapping saved while sync is off waits too, and the list shows it at once.
    await page.getByLabel('Access group: Interviewers').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Automatic sync is off: the roles and access groups this mapping gives wait under Pending changes/).waitFor();
    await page.getByRole('heading', { name: /Pending changes\s*3 members/ }).waitFor();
    assert.match(await entry('lin@hinsley.test').innerText(), /access group none → Interviewers/);
    await shot('06-pending-changes.png');

    await page.getByRole('button', { name: 'Discard the changes of bob@hinsley.test' }).click();
    await page.getByText('Discarded 1 change of bob@hinsley.test').waitFor();
    await page.getByRole('heading', { name: /Pending changes\s*2 members/ }).waitFor();
    await page.getByRole('button', { name: 'Sync now (2 members)' }).click();
    await page.getByText('Applied the changes of 2 members.').waitFor();
    await page.getByText('No pending changes.').waitFor();

    await tab('Members');
    const row = memberRow('ada@hinsley.test');
    await row.waitFor();
    assert.doesNotMatch(await row.locator('.role-cell').innerText(), /^admin/, 'removed from the admin group: demoted');
    assert.equal((await api('GET', `/tenants/${tenantId}/members/${String(linUser.body.id)}`)).accessGroupId, interviewers.body.id);
    assert.equal(await memberRow('bob@hinsley.test').count(), 0, 'Bob\'s discarded change was not applied');
    // Back on, for the flows that follow.
    await tab('Groups');
    await page.getByRole('switch').click();
    await page.getByText('Automatic sync is on').waitFor();
  });

  it('shows the provisioning log with each request\'s detail', async () => {
    const failed = await scim('POST', '/Users', { schemas: [USER_SCHEMA], name: { givenName: 'No' } });
    assert.equal(failed.status, 400);
    // Requests that write nothing reach the log in batches: wait until this one is there.
    for (let tries = 0; ; tries++) {
      const log = await api('GET', `/tenants/${tenantId}/provisioning-log?status=error`);
      if ((log.entries as unknown[]).length > 0) break;
      assert.ok(tries < 50, 'the failed request reaches the provisioning log');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await tab('Activity');
    await page.locator('.log-table tbody tr').first().waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('error');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The filtered page replaces the unfiltered one: wait for the failed POST's row.
    const failedRow = page.locator('.log-table tbody tr', { hasText: 'POST /Users' }).filter({ hasText: '400' }).first();
    await failedRow.getByRole('button').click();
    await page.getByRole('heading', { name: /Request body/ }).waitFor();
    await shot('07-provisioning-log.png');
  });

  it('lists the attributes the IdP sends undeclared, and declares one through the custom attributes form', async () => {
    const HINSLEY = 'urn:ietf:params:scim:schemas:extension:hinsley:2.0:User';
    const sent = await scim('PATCH', `/Users/${userId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', value: { [HINSLEY]: { costCenter: 'R&D' } } }] });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await tab('SCIM');
    await page.getByRole('button', { name: 'Refresh' }).first().click();
    await page.getByRole('list', { name: 'Ignored attributes' }).getByText(`${HINSLEY}:costCenter`).waitFor();

    // The request that carried it says so in the provisioning log, one click from where to declare it.
    await tab('Activity');
    const patchRow = page.locator('.log-table tbody tr', { hasText: 'PATCH /Users/' }).filter({ hasText: '1 undeclared attribute' }).first();
    await patchRow.getByRole('button').click();
    await page.getByRole('list', { name: 'Undeclared attributes' }).getByText(`${HINSLEY}:costCenter`).waitFor();
    await shot('18-log-undeclared.png');
    await page.getByRole('link', { name: 'Settings → Custom attributes' }).click();
    await page.getByRole('heading', { name: 'Custom attributes' }).waitFor();
    const panel = page.locator('section[aria-labelledby="custom-attributes"]');
    await panel.getByRole('button', { name: `Declare ${HINSLEY}:costCenter` }).click();
    await panel.getByRole('button', { name: 'Add attribute' }).click();
    await panel.getByLabel('Name of attribute 2').fill('2fast');
    await panel.getByLabel('Type of 2fast').selectOption('integer');
    await panel.getByLabel('Allowed values of 2fast').fill('x');
    await panel.getByRole('button', { name: 'Save custom attributes' }).click();
    await panel.getByText('a name starts with a letter and has only letters, digits, - and _.').waitFor();
    await panel.getByText('"2fast": allowed values apply to text attributes only.').waitFor();
    await shot('16-custom-attributes.png');
    await panel.getByRole('button', { name: 'Remove 2fast' }).click();
    await panel.getByLabel('Allowed values of costCenter').fill('R&D, Sales');
    await panel.getByRole('button', { name: 'Save custom attributes' }).click();
    await panel.getByText('Custom attributes saved').waitFor();
    assert.equal(await panel.getByRole('list', { name: 'Undeclared attributes' }).count(), 0, 'declared now');
    const refused = await scim('PATCH', `/Users/${userId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', value: { [HINSLEY]: { costCenter: 'Marketing' } } }] });
    assert.equal(refused.status, 400, 'the allowed values are enforced');
    const kept = await scim('PATCH', `/Users/${userId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', value: { [HINSLEY]: { costCenter: 'Sales' } } }] });
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
    assert.deepEqual(kept.body[HINSLEY], { costCenter: 'Sales' });
  });

  it('changes a tenant policy on the Settings page: required attributes are enforced at once', async () => {
    await tab('Settings');
    // The seat limit is the provider's to set: shown as text, not as a field that looks editable.
    assert.equal(await page.getByTestId('seat-limit').innerText(), 'No limit');
    assert.equal(await page.getByRole('spinbutton', { name: 'Seat limit' }).count(), 0);
    await page.getByLabel('Required attributes').fill('emails');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await shot('11-settings.png');
    const missing = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'no-mail@hinsley.test' });
    assert.equal(missing.status, 400);
    assert.match(String(missing.body.detail), /emails/);
  });

  it('turns groups into roles and ranks them on the Settings page (seed 002)', async () => {
    await page.getByLabel(/^Groups as roles/).check();
    await page.getByLabel('Role order').fill('viewer, editor');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = (await api('GET', `/tenants/${tenantId}`)).settings as Record<string, unknown>;
    assert.deepEqual([saved.groupsAsRoles, saved.roleOrder, saved.adminGroupOnly], [true, ['viewer', 'editor'], false]);
    // Back as it was, so that the flows after this one see the roles they expect.
    await page.getByLabel(/^Groups as roles/).uncheck();
    await page.getByLabel('Role order').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const restored = (await api('GET', `/tenants/${tenantId}`)).settings as Record<string, unknown>;
    assert.deepEqual([restored.groupsAsRoles, restored.roleOrder], [false, []]);
  });

  it('disables SCIM behind a confirmation that lists its consequences', async () => {
    await tab('SCIM');
    // Seed 002: the setup cannot be deleted while provisioned members are active.
    await page.getByRole('button', { name: 'Delete SCIM setup' }).click();
    await page.getByRole('dialog', { name: 'Delete the SCIM setup?' }).getByRole('button', { name: 'Delete setup' }).click();
    await page.getByRole('alert').filter({ hasText: /still active/ }).waitFor();

    await page.getByRole('button', { name: 'Disable SCIM Provisioning' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable SCIM provisioning?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    for (const consequence of [/token is permanently deleted/, /groups and group memberships are removed/, /external IDs are cleared/, /stay active/, /creator is promoted to admin/]) assert.match(text, consequence);
    await shot('08-disable-confirmation.png', false);
    await dialog.getByRole('button', { name: 'Disable SCIM' }).click();
    await page.getByRole('button', { name: 'Enable SCIM Provisioning' }).waitFor();

    assert.equal((await scim('GET', '/Users')).status, 401, 'the token was deleted');
    await tab('Members');
    const ada = memberRow('ada@hinsley.test');
    await ada.waitFor();
    assert.match(await ada.innerText(), /active/, 'members stay active');
    assert.match(await memberRow('founder@hinsley.test').locator('.role-cell').innerText(), /^admin/, 'the creator is an admin');
    await shot('09-scim-disabled-members.png');
  });

  it('reflows to a phone-sized screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await tab('SCIM');
    // A string: the test's TypeScript has no DOM types, the page has.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await shot('10-phone.png', false);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('lets an operator sign in with a key and see every tenant', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 700 } });
    const operatorPage = await context.newPage();
    await operatorPage.goto(`${origin}/admin`);
    await operatorPage.getByLabel('Operator key').fill(operatorKey);
    await operatorPage.getByRole('button', { name: 'Sign in' }).click();
    await operatorPage.getByRole('heading', { name: 'Tenants' }).waitFor();
    await operatorPage.getByRole('link', { name: 'Hinsley' }).waitFor();
    await operatorPage.screenshot({ path: join(SCREENSHOTS, '00-operator-tenants.png') });

    // Operators also see the tenant's webhooks and their deliveries on the Activity page.
    await api('POST', '/webhooks', { url: 'http://127.0.0.1:9/roster-events', tenantId, description: 'product sync' });
    await operatorPage.getByRole('link', { name: 'Hinsley' }).click();
    await operatorPage.getByRole('link', { name: 'Activity', exact: true }).click();
    await operatorPage.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await operatorPage.getByText('http://127.0.0.1:9/roster-events').click();
    await operatorPage.getByLabel('Deliveries', { exact: true }).waitFor();

    // The operator revokes the IT admin's setup link: the admin's session ends at once.
    await operatorPage.getByRole('link', { name: 'Settings', exact: true }).click();
    const linkRow = operatorPage.locator('tr', { hasText: 'IT admin' });
    await linkRow.getByRole('button', { name: 'Revoke' }).click();
    await operatorPage.getByRole('dialog', { name: 'Revoke this setup link?' }).getByRole('button', { name: 'Revoke link' }).click();
    await linkRow.getByText('revoked').waitFor();
    await tab('Members');
    await page.getByText('Your session has ended').waitFor();

    // A setup link opened in the operator's browser asks before replacing the operator's session.
    const link = await api('POST', `/tenants/${tenantId}/setup-links`, { note: 'second admin' });
    await operatorPage.goto(String(link.url));
    await operatorPage.getByRole('heading', { name: 'Open this setup link?' }).waitFor();
    assert.match(await operatorPage.locator('main').innerText(), /already signed in to the console as an operator/);
    await operatorPage.getByRole('button', { name: 'Keep my current session' }).click();
    await operatorPage.getByRole('heading', { name: 'Tenants' }).waitFor();
    // From another page: the same URL with its fragment again would not reload the console.
    await operatorPage.goto(`${origin}/admin`);
    await operatorPage.getByRole('heading', { name: 'Tenants' }).waitFor();

    // A tenant created with SCIM off starts off: nothing was enabled, so nothing is torn down.
    await operatorPage.getByLabel('Name', { exact: true }).fill('Quill');
    await operatorPage.getByLabel('Start with SCIM on').uncheck();
    await operatorPage.getByRole('button', { name: 'Create tenant' }).click();
    await operatorPage.getByRole('link', { name: 'Quill' }).waitFor();
    const quill = ((await api('GET', '/tenants')).tenants as { id: string; name: string; settings: { scimEnabled: boolean } }[]).find((t) => t.name === 'Quill');
    assert.ok(quill, 'the new tenant is listed');
    assert.equal(quill.settings.scimEnabled, false);
    const quillEvents = (await api('GET', `/events?tenant=${quill.id}`)).events as { type: string }[];
    assert.deepEqual(quillEvents.map((event) => event.type), ['tenant.created']);

    // Seed 002: a member provisioned before the SCIM setup was deleted is shown as such, not as added by hand.
    await api('PATCH', `/tenants/${quill.id}`, { settings: { scimEnabled: true } });
    const issued = String((await api('POST', `/tenants/${quill.id}/tokens`, { name: 'idp' })).token);
    const quillScim = (method: string, path: string, body: unknown) =>
      fetch(`${origin}/scim/v2/${quill.id}${path}`, { method, headers: { authorization: `Bearer ${issued}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const former = await quillScim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'former@quill.test', active: false });
    assert.equal(former.status, 201, JSON.stringify(former.body));
    await api('DELETE', `/tenants/${quill.id}/scim`);
    await operatorPage.goto(`${origin}/admin/tenants/${quill.id}/members`);
    // Deprovisioned before the setup was deleted: archived, listed when asked for.
    await operatorPage.getByLabel('Status', { exact: true }).selectOption('archived');
    const formerRow = operatorPage.locator('tr[data-username="former@quill.test"]');
    await formerRow.getByText('Formerly provisioned (SCIM)').waitFor();
    await operatorPage.screenshot({ path: join(SCREENSHOTS, '17-formerly-provisioned.png') });

    await operatorPage.goto(String(link.url));
    await operatorPage.getByRole('button', { name: 'Open the setup link' }).click();
    await operatorPage.getByRole('heading', { name: 'SCIM provisioning' }).waitFor();
    await context.close();
  });
});
