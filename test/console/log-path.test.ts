import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shortPath } from '../../web/src/pages/activity/log-path.js';

const TENANT = '3f1c2a4e-0000-4000-8000-000000000001';

describe('the provisioning log\'s request column', () => {
  it('reads the same for both base URL forms', () => {
    for (const base of [`/scim/v2/${TENANT}`, '/scim/v2']) {
      assert.equal(shortPath(`${base}/Users`, TENANT), '/Users');
      assert.equal(shortPath(`${base}/Users?startIndex=1&count=100`, TENANT), '/Users?startIndex=1&count=100');
      assert.equal(shortPath(`${base}/Groups/abc`, TENANT), '/Groups/abc');
      assert.equal(shortPath(`${base}/Bulk`, TENANT), '/Bulk');
      assert.equal(shortPath(base, TENANT), '/');
      assert.equal(shortPath(`${base}?filter=x`, TENANT), '/?filter=x');
    }
  });

  it('leaves a path outside the SCIM base as it is', () => {
    assert.equal(shortPath('/other/Users', TENANT), '/other/Users');
  });
});
