import { Readable } from 'node:stream';
import type { JsonObject } from '../../scim/json.js';
import type { GroupView } from '../../service/groups.js';
import type { MembershipRecord } from '../../store/records.js';
import type { ScimRequestState } from './auth.js';
import { presentGroup, presentMembership } from './present.js';

/**
 * Members per written chunk. A whole page as one string (500 members, ~100 KB, twice that as
 * a two-byte string when a name is outside Latin-1) was, with the separator in front, a rope
 * that the socket write flattened into a second copy; chunks of 100 joined with their
 * separator cut the full read's allocation by a fifth and its time by half
 * (docs/benchmarks.md, "Full read of a large group on PostgreSQL").
 */
const MEMBERS_PER_CHUNK = 100;

/**
 * A group's full SCIM JSON as a stream: the group's own attributes, then `members` written as
 * they are read (a page of 500 from the store, 100 to a chunk), so a 100,000-member group is
 * never held in memory whole.
 * `view` has been read without members.
 */
export async function streamGroup(view: GroupView, pages: AsyncIterator<readonly MembershipRecord[]>, state: ScimRequestState): Promise<Readable | JsonObject> {
  const head: JsonObject = presentGroup(view, state);
  const first = await pages.next();
  // An empty group has no `members` at all (unassigned, RFC 7643 §2.5), like everywhere else.
  if (first.done === true) return head;
  async function* chunks(firstPage: readonly MembershipRecord[]): AsyncGenerator<string> {
    const text = JSON.stringify(head);
    // The rendered group is a JSON object: reopen it to append the members array.
    yield `${text.slice(0, -1)},"members":[`;
    let page: readonly MembershipRecord[] | undefined = firstPage;
    let opening = true;
    while (page !== undefined) {
      for (let start = 0; start < page.length; start += MEMBERS_PER_CHUNK) {
        const parts = page.slice(start, start + MEMBERS_PER_CHUNK).map((member) => JSON.stringify(presentMembership(member, state)));
        // The separator goes into the join: `',' + text` would be a rope that the socket write flattens into a second copy.
        if (!opening) parts.unshift('');
        opening = false;
        yield parts.join(',');
      }
      // The page written is garbage while the next one is read.
      page = undefined;
      const next = await pages.next();
      page = next.done === true ? undefined : next.value;
    }
    yield ']}';
  }
  // One page waits at a time (the default keeps 16), so memory holds a page, not the group.
  return Readable.from(chunks(first.value), { highWaterMark: 1 });
}
