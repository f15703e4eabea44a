/** A setup link: a tenant's way into the admin console without any other credential. */
export interface SetupLinkRecord {
  readonly tenantId: string;
  readonly id: string;
  /** Who the link is for, as the SaaS team wrote it (may be empty). */
  readonly note: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** A signed-in browser. `tenantId` null means an operator's session, which sees every tenant. */
export interface ConsoleSessionRecord {
  readonly id: string;
  readonly tenantId: string | null;
  /** The setup link it was opened with: revoking the link ends the session. */
  readonly setupLinkId: string | null;
  /** The operator key it was opened with: revoking the key ends the session. */
  readonly operatorKeyId: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastSeenAt: string;
}

/** What opened a session: a setup link or an operator key (the other is null). */
export type SessionOwner = Pick<ConsoleSessionRecord, 'setupLinkId' | 'operatorKeyId'>;

/** Setup links; the secret itself is never stored, only its SHA-256 (hex). */
export interface SetupLinkStore {
  insert(link: SetupLinkRecord, linkHash: string): Promise<void>;
  /** An unrevoked link by the hash of its secret, expired or not (the caller checks expiry). */
  findByHash(linkHash: string): Promise<{ link: SetupLinkRecord; linkHash: string } | undefined>;
  /** A tenant's links, newest first, revoked ones included. */
  list(tenantId: string): Promise<readonly SetupLinkRecord[]>;
  /** Marks a link revoked; false when the tenant has no such unrevoked link. */
  revoke(tenantId: string, id: string, at: string): Promise<boolean>;
  touch(tenantId: string, id: string, at: string): Promise<void>;
}

/** Console sessions, shared by every Roster process through the database. */
export interface ConsoleSessionStore {
  insert(session: ConsoleSessionRecord, sessionHash: string): Promise<void>;
  /**
   * The session whose secret hashes to `sessionHash`, if it is still good at `at`: not
   * expired, and the setup link or operator key it was opened with is neither revoked nor
   * (for a link) expired. Undefined otherwise.
   */
  findLive(sessionHash: string, at: string): Promise<{ session: ConsoleSessionRecord; sessionHash: string } | undefined>;
  touch(id: string, at: string): Promise<void>;
  /** Ends a session (sign-out); false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Ends all but the `keep` newest sessions opened with the owner's setup link or operator key; how many ended. */
  keepNewest(owner: SessionOwner, keep: number): Promise<number>;
  /** Removes up to `limit` sessions that expired before `before`; how many. */
  pruneExpired(before: string, limit: number): Promise<number>;
}
