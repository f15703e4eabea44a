import { InvalidCursor } from '../../store.js';

/**
 * A place in the global event feed. Events are ordered by (key, tenantId, seq); a position
 * with only a key stands before every event whose key is larger (the position of a
 * snapshot, or of an empty feed).
 */
export interface FeedPosition {
  readonly key: number;
  readonly after?: { readonly tenantId: string; readonly seq: number };
}

/** Positions given to clients: `p<key>` or `p<key>.<seq>.<tenant id>`, opaque to them. */
export function encodeFeedPosition(position: FeedPosition): string {
  return position.after === undefined ? `p${position.key}` : `p${position.key}.${position.after.seq}.${position.after.tenantId}`;
}

export function decodeFeedPosition(text: string): FeedPosition {
  const match = /^p(\d{1,16})(?:\.(\d{1,16})\.(.+))?$/.exec(text);
  if (match === null) throw new InvalidCursor(`not a feed position: ${text}`);
  const key = Number(match[1]);
  if (match[2] === undefined || match[3] === undefined) return { key };
  return { key, after: { seq: Number(match[2]), tenantId: match[3] } };
}
