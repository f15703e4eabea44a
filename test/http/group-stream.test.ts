import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ScimRequestState } from '../../src/http/scim/auth.js';
import { streamGroup } from '../../src/http/scim/group-stream.js';
import { baseRegistry } from '../../src/schema/registry.js';
import type { GroupView } from '../../src/service/groups.js';
import type { MembershipRecord } from '../../src/store/records.js';

// Only what presenting a group reads: the registry and the base URL.
const state = { context: { registry: baseRegistry }, baseUrl: 'https://roster.example/scim/v2/t1' } as unknown as ScimRequestState;
const view: GroupView = {
  record: { tenantId: 't1', id: 'g1', displayName: 'Everyone', externalId: null, created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 3, data: { displayName: 'Everyone' } },
  members: undefined,
};

function member(index: number): MembershipRecord {
  // Names outside Latin-1 make two-byte strings: the chunks must still stay small.
  return { value: `u${String(index).padStart(4, '0')}`, type: 'User', display: index % 7 === 0 ? `Łukasz ${index} 王` : null };
}

function pagesOf(...pages: readonly MembershipRecord[][]): AsyncIterator<readonly MembershipRecord[]> {
  const rest = [...pages];
  return {
    next: () => {
      const page = rest.shift();
      return Promise.resolve(page === undefined ? { done: true, value: undefined } : { done: false, value: page });
    },
  };
}

async function chunksOf(body: Readable): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of body) out.push(String(chunk));
  return out;
}

describe('streaming a group with its members', () => {
  it('writes a page of members in chunks of at most 100, joined into the same JSON', async () => {
    const first = Array.from({ length: 500 }, (_, i) => member(i));
    const second = Array.from({ length: 3 }, (_, i) => member(500 + i));
    const body = await streamGroup(view, pagesOf(first, second), state);
    assert.ok(body instanceof Readable);
    const chunks = await chunksOf(body);
    const memberChunks = chunks.filter((chunk) => chunk.includes('"value":"u'));
    // 500 members in five chunks, then the second page's three in one.
    assert.deepEqual(memberChunks.map((chunk) => chunk.split('"value":"u').length - 1), [100, 100, 100, 100, 100, 3]);
    const parsed = JSON.parse(chunks.join('')) as { id: string; members: { value: string; $ref: string; type: string; display?: string }[] };
    assert.equal(parsed.id, 'g1');
    assert.deepEqual(parsed.members.map((m) => m.value), [...first, ...second].map((m) => m.value));
    assert.deepEqual(parsed.members[7], { value: 'u0007', $ref: 'https://roster.example/scim/v2/t1/Users/u0007', type: 'User', display: 'Łukasz 7 王' });
    assert.equal(parsed.members[1]?.display, undefined);
  });

  it('answers a group without members with its own attributes, unstreamed', async () => {
    const body = await streamGroup(view, pagesOf(), state);
    assert.ok(!(body instanceof Readable));
    assert.equal(body.members, undefined);
  });
});
