/** An attribute IdPs sent that the tenant's schemas do not declare (ignored when read). */
export interface UndeclaredAttributeRecord {
  /** As first sent: `urn:…:2.0:User:costCenter`, `nickName2`, `name.middle`. */
  readonly path: string;
  /** How many writes carried it. */
  readonly count: number;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  /** The user the last such write was for. */
  readonly lastUserId: string | null;
}

/**
 * What IdPs send that nobody declared, so that the admin can declare it as a
 * custom attribute: one row per tenant and path (compared case-insensitively).
 */
export interface UndeclaredAttributeStore {
  /**
   * Counts one write carrying `paths`. A tenant keeps at most `maxPaths` paths: further new
   * ones are not recorded (known ones still count).
   */
  record(tenantId: string, paths: readonly string[], userId: string | null, at: string, maxPaths: number): Promise<void>;
  /** The tenant's undeclared attributes, most recently seen first. */
  list(tenantId: string, limit: number): Promise<readonly UndeclaredAttributeRecord[]>;
  /** Forgets paths the tenant has declared since (`paths` folded to lower case). */
  forget(tenantId: string, paths: readonly string[]): Promise<void>;
}
