import { Readable } from 'node:stream';
import type { JsonObject } from '../../scim/json.js';
import type { GroupView } from '../../service/groups.js';
import type { MembershipRecord } from '../../store/records.js';
import type { ScimRequestState } from './auth.js';
import { presentGroup, presentMembership } from './present.js';

/**
 * A group's full SCIM JSON as a stream: the group's own attributes, then `members` written a
 * page at a time as they are read, so a 100,000-member group is never held in memory whole.
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
    let separator = '';
    while (page !== undefined) {
      yield separator + page.map((member) => JSON.stringify(presentMembership(member, state))).join(',');
      separator = ',';
      const next = await pages.next();
      page = next.done === true ? undefined : next.value;
    }
    yield ']}';
  }
  // One page waits at a time (the default keeps 16), so memory holds a page, not the group.
  return Readable.from(chunks(first.value), { highWaterMark: 1 });
}
