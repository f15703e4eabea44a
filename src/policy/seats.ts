import { seatLimitReachedEvent } from './member-events.js';
import type { PolicyContext } from './policy-context.js';

/**
 * Seats (settings `seatLimit`, `seatPolicy`; docs/policies.md): active members hold one each.
 * `decideSeat` is the one place that decides whether a seat is free.
 */

/**
 * What a write did about a seat, from the policy's beforeUserWrite to its afterUserWrite:
 * - `kept`: the write decided no seat: the member keeps its status, or a seat is decided
 *   later (when automatic sync is off, as the queued change is applied);
 * - `taken`: the user becomes active on a free seat;
 * - `filled`: the same, on the last free seat;
 * - `refused`: every seat is taken, and the user was stored inactive (seatPolicy createInactive).
 */
export type SeatOutcome = 'kept' | 'taken' | 'filled' | 'refused';

/** What deciding a seat can answer. */
type SeatDecision = Exclude<SeatOutcome, 'kept'>;

/**
 * Whether one more member may be active. The tenant stays locked until the transaction ends,
 * so that two writes cannot take the same last seat (the settings service takes the same
 * lock). Without a limit every seat is free and nothing is locked.
 */
export async function decideSeat(context: PolicyContext): Promise<SeatDecision> {
  const limit = context.settings.seatLimit;
  if (limit === null) return 'taken';
  await context.tx.members.lockTenant(context.tenantId);
  const used = await context.tx.members.countActive(context.tenantId);
  if (used < limit) return used + 1 === limit ? 'filled' : 'taken';
  return 'refused';
}

/** Appends `seat.limit_reached` when a decision took the last seat or found none. */
export async function recordSeat(context: PolicyContext, userId: string, decision: SeatDecision): Promise<void> {
  const limit = context.settings.seatLimit;
  if (limit === null || decision === 'taken') return;
  const event = seatLimitReachedEvent(context.tenantId, limit, userId, decision === 'filled' ? 'filled' : 'inactive');
  await context.tx.events.append(context.tenantId, [event], context.at);
}

/** Decides a seat for a member and records the decision; true when the member may be active. */
export async function takeSeat(context: PolicyContext, userId: string): Promise<boolean> {
  const decision = await decideSeat(context);
  await recordSeat(context, userId, decision);
  return decision !== 'refused';
}
