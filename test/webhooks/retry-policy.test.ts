import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay } from '../../src/service/webhooks/retry-policy.js';
import { checkEventTypes, typeMatches } from '../../src/service/webhooks/event-types.js';

describe('webhook retry delays', () => {
  const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 30_000 };

  it('double after each failed try, with jitter between half and all of the delay', () => {
    for (const [attempts, full] of [[1, 1000], [2, 2000], [3, 4000], [4, 8000]] as const) {
      assert.equal(retryDelay(policy, attempts, undefined, () => 0), full / 2);
      assert.equal(retryDelay(policy, attempts, undefined, () => 1), full);
      const random = retryDelay(policy, attempts);
      assert.ok(random >= full / 2 && random <= full, `${random} within [${full / 2}, ${full}]`);
    }
  });

  it('stop growing at the cap, and honour a Retry-After up to it', () => {
    assert.equal(retryDelay(policy, 20, undefined, () => 1), 30_000);
    assert.equal(retryDelay(policy, 1, 10_000, () => 0), 10_000);
    assert.equal(retryDelay(policy, 1, 3_600_000, () => 0), 30_000);
    assert.equal(DEFAULT_RETRY_POLICY.maxAttempts, 8);
  });

  it('read Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('120'), 120_000);
    assert.equal(parseRetryAfter(new Date(61_000).toUTCString(), 1_000), 60_000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});

describe('event type filters', () => {
  it('match types, families and everything', () => {
    assert.equal(typeMatches([], 'user.created'), true);
    assert.equal(typeMatches(['*'], 'group.deleted'), true);
    assert.equal(typeMatches(['user.*'], 'user.archived'), true);
    assert.equal(typeMatches(['user.*'], 'group.created'), false);
    assert.equal(typeMatches(['group.member_added'], 'group.member_added'), true);
    assert.equal(typeMatches(['group.member_added'], 'group.member_removed'), false);
  });

  it('refuse what is not a type, a family or *', () => {
    assert.deepEqual(checkEventTypes(['user.*', 'user.*', 'scim.enabled']), ['user.*', 'scim.enabled']);
    for (const bad of ['user', 'User.created', 'user.*.x', '', '*.created']) assert.throws(() => checkEventTypes([bad]), /not an event type filter/);
  });
});
