import { createHash } from 'node:crypto';
import type { ConsoleSessionRecord } from '../store/console-store.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import type { OperatorKeyService } from './operator-keys.js';
import { TouchThrottle, hashSecret, newSecret, sameHash } from './secrets.js';
import type { SetupLinkService } from './setup-links.js';

const SESSION_PREFIX = 'rcs_';
/** A console session lasts a working day; a setup link's session never outlives its link. */
const SESSION_TTL_MS = 12 * 3600 * 1000;
/**
 * Live sessions one setup link or operator key may hold; opening another ends the oldest.
 * Enough for an admin's browsers, few enough that sign-ins in a loop cannot pile rows up.
 */
export const MAX_SESSIONS_PER_CREDENTIAL = 10;

/** A new session: the secret goes into the browser's cookie and nowhere else. */
export interface OpenedSession {
  readonly session: ConsoleSessionRecord;
  readonly secret: string;
}

/**
 * Console sessions: opened with an operator key (every tenant) or a setup link (its tenant
 * only), kept in the database as the SHA-256 of their secret so that every Roster process
 * sees them.
 */
export class ConsoleSessionService {
  private readonly touches = new TouchThrottle();

  constructor(
    private readonly store: Store,
    private readonly operatorKeys: OperatorKeyService,
    private readonly setupLinks: SetupLinkService,
  ) {}

  /** A session for the holder of an operator key; undefined when the key is not valid. */
  async openWithOperatorKey(operatorKey: string): Promise<OpenedSession | undefined> {
    const key = await this.operatorKeys.authenticate(operatorKey);
    if (key === undefined) return undefined;
    return this.open({ tenantId: null, setupLinkId: null, operatorKeyId: key.id }, Date.now() + SESSION_TTL_MS);
  }

  /** A session for one tenant from a setup link's secret; undefined when the link is unknown, revoked or expired. */
  async openWithSetupLink(linkSecret: string): Promise<OpenedSession | undefined> {
    const link = await this.setupLinks.redeem(linkSecret);
    if (link === undefined) return undefined;
    const until = Math.min(Date.now() + SESSION_TTL_MS, Date.parse(link.expiresAt));
    return this.open({ tenantId: link.tenantId, setupLinkId: link.id, operatorKeyId: null }, until);
  }

  /** The live session a cookie's secret belongs to, or undefined. */
  async authenticate(secret: string): Promise<ConsoleSessionRecord | undefined> {
    if (!secret.startsWith(SESSION_PREFIX) || secret.length > 200) return undefined;
    const hash = hashSecret(secret);
    const found = await this.store.read.consoleSessions.findLive(hash, now());
    if (found === undefined || !sameHash(found.sessionHash, hash)) return undefined;
    if (this.touches.due(found.session.id)) await this.store.read.consoleSessions.touch(found.session.id, now());
    return found.session;
  }

  /** Ends the session of a cookie's secret (sign-out); nothing happens for an unknown one. */
  async end(secret: string): Promise<void> {
    const session = await this.authenticate(secret);
    if (session !== undefined) await this.store.read.consoleSessions.remove(session.id);
  }

  /**
   * The CSRF token of a session: derived from the session's secret, which only the HttpOnly
   * cookie holds, so a page can learn it only from the session endpoint's response, which
   * another origin cannot read. Nothing more needs storing.
   */
  csrfToken(secret: string): string {
    return createHash('sha256').update(`roster-csrf:${secret}`, 'utf8').digest('base64url');
  }

  /** Whether `presented` is the CSRF token of the session `secret`, compared in constant time. */
  checkCsrf(secret: string, presented: string): boolean {
    const expected = createHash('sha256').update(this.csrfToken(secret)).digest('hex');
    return sameHash(expected, createHash('sha256').update(presented).digest('hex'));
  }

  /** Removes sessions that expired before now, a batch at a time. */
  pruneExpired(limit = 1000): Promise<number> {
    return this.store.read.consoleSessions.pruneExpired(now(), limit);
  }

  private async open(owner: Pick<ConsoleSessionRecord, 'tenantId' | 'setupLinkId' | 'operatorKeyId'>, untilMs: number): Promise<OpenedSession> {
    const createdAt = now();
    const secret = newSecret(SESSION_PREFIX);
    const session: ConsoleSessionRecord = { id: newId(), ...owner, createdAt, expiresAt: new Date(untilMs).toISOString(), lastSeenAt: createdAt };
    await this.store.transaction(async (tx) => {
      await tx.consoleSessions.insert(session, hashSecret(secret));
      await tx.consoleSessions.keepNewest(owner, MAX_SESSIONS_PER_CREDENTIAL);
    });
    // Expired rows are swept a few at a time as new sessions open, so none pile up without a job.
    await this.pruneExpired(100);
    return { session, secret };
  }
}
