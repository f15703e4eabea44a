import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { IDP_GUIDES, idpOfUserAgent } from '../../web/src/idp/guides.js';

const DOC_NAMES: Readonly<Record<string, string>> = { entra: 'entra-id', okta: 'okta', onelogin: 'onelogin', jumpcloud: 'jumpcloud', google: 'google-workspace', other: 'other' };

describe('IdP setup guides', () => {
  it('cover Entra ID, Okta, OneLogin, JumpCloud, Google Workspace and any other SCIM client', () => {
    assert.deepEqual(IDP_GUIDES.map((g) => g.id), ['entra', 'okta', 'onelogin', 'jumpcloud', 'google', 'other']);
  });

  for (const guide of IDP_GUIDES) {
    it(`keeps docs/idp/${DOC_NAMES[guide.id] ?? guide.id}.md in step with the console's ${guide.name} guide`, () => {
      const doc = readFileSync(new URL(`../../docs/idp/${DOC_NAMES[guide.id] ?? guide.id}.md`, import.meta.url), 'utf8');
      for (const step of guide.steps) assert.ok(doc.includes(step), `the doc has the step "${step}"`);
      for (const row of [...guide.userMappings, ...guide.groupMappings]) {
        assert.ok(doc.includes(`| \`${row.idp.replace(/\|/g, '\\|')}\` | \`${row.scim}\` |`), `the doc maps ${row.idp} to ${row.scim}`);
      }
      assert.ok(guide.userMappings.some((row) => row.scim === 'userName'), 'every guide maps userName');
    });
  }

  it('maps every attribute a product guide asks Entra ID, Okta and JumpCloud to send (the work address and phones too)', () => {
    const wanted = ['userName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'phoneNumbers[type eq "mobile"].value', 'title', 'active'];
    const address = ['streetAddress', 'locality', 'region', 'postalCode', 'country'].map((part) => `addresses[type eq "work"].${part}`);
    for (const id of ['entra', 'okta', 'jumpcloud']) {
      const mapped = new Set(IDP_GUIDES.find((g) => g.id === id)?.userMappings.map((row) => row.scim));
      for (const scim of [...wanted, ...address]) assert.ok(mapped.has(scim), `the ${id} guide maps ${scim}`);
    }
  });

  it('names the Okta provisioning actions a product guide asks for (import and push)', () => {
    const okta = IDP_GUIDES.find((g) => g.id === 'okta')?.steps.join(' ') ?? '';
    for (const action of ['Import New Users and Profile Updates', 'Push New Users', 'Push Profile Updates', 'Create Users', 'Update User Attributes', 'Deactivate Users']) assert.ok(okta.includes(action), action);
  });

  it('chooses the guide of the identity provider a User-Agent names, and none for others', () => {
    assert.equal(idpOfUserAgent('Azure AD SCIM Client'), 'entra');
    assert.equal(idpOfUserAgent('Okta SCIM Client 1.0.0'), 'okta');
    assert.equal(idpOfUserAgent('OneLogin SCIM'), 'onelogin');
    assert.equal(idpOfUserAgent('JumpCloud SCIM'), 'jumpcloud');
    assert.equal(idpOfUserAgent('curl/8.5.0'), undefined);
    assert.equal(idpOfUserAgent(null), undefined);
  });

  it('offers the token-only base URL where the IdP suits it', () => {
    assert.deepEqual(IDP_GUIDES.filter((g) => g.fields.tokenOnlyBaseUrl !== undefined).map((g) => g.id), ['other']);
  });
});
