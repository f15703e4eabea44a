import type { Store, StoreSession } from '../store/store.js';
import type { UndeclaredAttributeRecord } from '../store/undeclared-attribute-store.js';
import { NotFound } from './errors.js';

/**
 * Attributes IdPs send that the tenant's schemas do not declare: ignored when read (unless
 * strictAttributes), and counted here so that the console can list them (connection status,
 * custom attributes) and the admin can declare what the product wants.
 */

/** A tenant keeps at most this many undeclared paths: a misbehaving IdP cannot grow it further. */
const MAX_PATHS = 200;
/** Paths longer than this are not kept (no schema names attributes that long). */
const MAX_PATH_LENGTH = 300;
/** A write records at most this many of its undeclared paths (so does its provisioning-log entry). */
export const MAX_PER_WRITE = 20;

/** Counts the undeclared paths of one user write, in the write's transaction. */
export async function recordUndeclared(tx: StoreSession, tenantId: string, paths: readonly string[], userId: string, at: string): Promise<void> {
  const kept = [...new Set(paths.filter((path) => path.length <= MAX_PATH_LENGTH))].slice(0, MAX_PER_WRITE);
  if (kept.length > 0) await tx.undeclaredAttributes.record(tenantId, kept, userId, at, MAX_PATHS);
}

export class UndeclaredAttributeService {
  constructor(private readonly store: Store) {}

  async list(tenantId: string): Promise<readonly UndeclaredAttributeRecord[]> {
    if ((await this.store.read.tenants.get(tenantId)) === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    return this.store.read.undeclaredAttributes.list(tenantId, MAX_PATHS);
  }
}
