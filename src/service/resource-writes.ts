import type { PolicyTenant } from '../policy/provisioning-policy.js';
import { settingsOf } from '../policy/settings.js';
import { NotFoundError, UnauthorizedError, UniquenessError } from '../scim/errors.js';
import type { JsonObject } from '../scim/json.js';
import { UniqueViolation, type Store, type StoreSession } from '../store/store.js';
import type { ScimContext } from './context.js';
import { checkIfMatch } from './preconditions.js';

/** How the writes of one resource type read their record and name their failures. */
export interface ResourceKind<Stored> {
  /** `User`, `Group`: 404s name the resource type. */
  readonly name: string;
  /** The record, locked until commit when `forUpdate`; undefined when unknown. */
  read(session: StoreSession, tenantId: string, id: string, forUpdate: boolean): Promise<Stored | undefined>;
  /** Whether SCIM sees the record (users deleted through SCIM are kept, archived). */
  live(record: Stored): boolean;
  /** The detail of the 409 uniqueness when a write of `record` clashes with another resource. */
  taken(record: Stored): string;
}

/** New attributes of a resource, and whether they differ from the stored ones. */
export interface AttributeChange {
  readonly data: JsonObject;
  /** False when nothing changed: the version and lastModified stay (RFC 7644 §3.5.2.1). */
  readonly changed: boolean;
}

/**
 * The tenant as a write sees it, its settings read inside the write's transaction.
 * Authentication parsed the settings once for reading the request (ScimContext); those that
 * decide the write (seats, sync, role mappings, deletePolicy, SCIM itself) are read again
 * here, so that a change committed since the request authenticated (and before this read)
 * is honoured by the write. A change committed later orders after the write; seat decisions
 * also take the tenant lock the settings service takes (seats.ts).
 */
async function tenantForWrite(tx: StoreSession, context: ScimContext): Promise<PolicyTenant> {
  const stored = await tx.tenants.get(context.tenant.id);
  // Tenants are never deleted; a missing row keeps the settings the request came with.
  const tenant = stored === undefined ? context.tenant : { id: stored.id, settings: settingsOf(stored.settings) };
  // SCIM turned off since the request authenticated: refused as authentication would.
  if (!tenant.settings.scimEnabled) throw new UnauthorizedError();
  return tenant;
}

/**
 * What the SCIM writes of users and groups share: one transaction with the tenant's current
 * settings, the live resource found and locked with the request's If-Match checked against
 * it, and unique-index clashes answered as 409 uniqueness.
 */
export class ResourceWrites<Stored extends { readonly version: number }> {
  constructor(
    private readonly store: Store,
    private readonly kind: ResourceKind<Stored>,
  ) {}

  /**
   * A live resource; 404 otherwise. `forUpdate` (writes, inside their transaction) locks the
   * row until commit, so that two writes of one resource take turns even from two processes:
   * the second reads the first's result, which keeps If-Match and read-modify-write (PATCH)
   * from losing an update.
   */
  async find(session: StoreSession, context: ScimContext, id: string, forUpdate = false): Promise<Stored> {
    const record = await this.kind.read(session, context.tenant.id, id, forUpdate);
    if (record === undefined || !this.kind.live(record)) throw new NotFoundError(`${this.kind.name} ${id} not found.`);
    return record;
  }

  /** A write that makes a resource, in one transaction. */
  create<T>(context: ScimContext, work: (tx: StoreSession, tenant: PolicyTenant) => Promise<T>): Promise<T> {
    return this.store.transaction(async (tx) => work(tx, await tenantForWrite(tx, context)));
  }

  /**
   * A write of an existing resource, in one transaction: `before` is the live resource, locked,
   * and the request's If-Match matched it (412 otherwise). The tenant's settings are read
   * after the lock, so a write that waited for another reads what that one left.
   */
  update<T>(context: ScimContext, id: string, ifMatch: string | undefined, work: (tx: StoreSession, before: Stored, tenant: PolicyTenant) => Promise<T>): Promise<T> {
    return this.store.transaction(async (tx) => {
      const before = await this.find(tx, context, id, true);
      checkIfMatch(ifMatch, before.version);
      return work(tx, before, await tenantForWrite(tx, context));
    });
  }

  /** Runs a store write of `record`; a clash on a unique index is 409 uniqueness. */
  async unique(record: Stored, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (error instanceof UniqueViolation) throw new UniquenessError(this.kind.taken(record));
      throw error;
    }
  }
}
