import { Readable } from 'node:stream';
import type { JsonObject } from '../../scim/json.js';
import type { GroupView } from '../../service/groups.js';
import type { MemberRecord } from '../../store/records.js';
import type { ScimRequestState } from './auth.js';
import { presentGroup } from './present.js';

/**
 * `JSON.stringify(presentMember(member, state))`, written directly: a large group's read then
 * makes one string per member instead of an object and its string, which kept the heap (and
 * the process's memory) growing during the read.
 */
export function memberText(member: MemberRecord, state: ScimRequestState): string {
  const kind = member.type === 'Group' ? 'Groups' : 'Users';
  const display = member.display === null ? '' : `,"display":${JSON.stringify(member.display)}`;
  return `{"value":${JSON.stringify(member.value)},"$ref":${JSON.stringify(`${state.baseUrl}/${kind}/${member.value}`)},"type":${JSON.stringify(member.type)}${display}}`;
}

/**
 * A group's full SCIM JSON as a stream: the group's own attributes, then `members` written a
 * page at a time as they are read, so a 100,000-member group is never held in memory whole.
 * `view` has been read without members.
 */
export async function streamGroup(view: GroupView, pages: AsyncIterator<readonly MemberRecord[]>, state: ScimRequestState): Promise<Readable | JsonObject> {
  const head: JsonObject = presentGroup(view, state);
  const first = await pages.next();
  // An empty group has no `members` at all (unassigned, RFC 7643 §2.5), like everywhere else.
  if (first.done === true) return head;
  async function* chunks(firstPage: readonly MemberRecord[]): AsyncGenerator<string> {
    const text = JSON.stringify(head);
    // The rendered group is a JSON object: reopen it to append the members array.
    yield `${text.slice(0, -1)},"members":[`;
    let page: readonly MemberRecord[] | undefined = firstPage;
    let separator = '';
    while (page !== undefined) {
      yield separator + page.map((member) => memberText(member, state)).join(',');
      separator = ',';
      const next = await pages.next();
      page = next.done === true ? undefined : next.value;
    }
    yield ']}';
  }
  // One page waits at a time (the default keeps 16), so memory holds a page, not the group.
  return Readable.from(chunks(first.value), { highWaterMark: 1 });
}
