import type { OperatorKeyRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { Invalid, NotFound } from './errors.js';
import { TouchThrottle, hashSecret, newSecret, sameHash } from './secrets.js';

const KEY_PREFIX = 'rok_';
/**
 * A secret brought from outside (`ensure`): the prefix and at least 43 base64url characters,
 * as long as `newSecret` makes, so at least 256 bits when random; 200 at most, as `authenticate` takes.
 */
const SUPPLIED_SECRET = /^rok_[A-Za-z0-9_-]{43,196}$/;

/** What `ensure` found: the key it created, the key already there, or a revoked key it left revoked. */
export type EnsuredKey = { readonly state: 'created' | 'present'; readonly key: OperatorKeyRecord } | { readonly state: 'revoked' };

/** Keys for the management API: shown once, stored as SHA-256, revocable. */
export class OperatorKeyService {
  private readonly touches = new TouchThrottle();

  constructor(private readonly store: Store) {}

  async create(name: string): Promise<{ key: OperatorKeyRecord; secret: string }> {
    if (name.trim() === '') throw new Invalid('An operator key needs a non-empty name.');
    const secret = newSecret(KEY_PREFIX);
    const key: OperatorKeyRecord = { id: newId(), name: name.trim(), createdAt: now(), lastUsedAt: null, revokedAt: null };
    await this.store.read.operatorKeys.insert(key, hashSecret(secret));
    return { key, secret };
  }

  /**
   * Makes sure an operator key with this secret exists (a deployment's own, generated outside
   * Roster): idempotent, and one key however many processes call it at once. A revoked key
   * stays revoked: revoking is how an operator retires a leaked secret.
   */
  async ensure(name: string, secret: string): Promise<EnsuredKey> {
    if (name.trim() === '') throw new Invalid('An operator key needs a non-empty name.');
    if (!SUPPLIED_SECRET.test(secret)) {
      throw new Invalid(`An operator key is "${KEY_PREFIX}" followed by 43 to 196 characters of A-Z, a-z, 0-9, "-" and "_" (for example 32 random bytes in base64url).`);
    }
    const key: OperatorKeyRecord = { id: newId(), name: name.trim(), createdAt: now(), lastUsedAt: null, revokedAt: null };
    const hash = hashSecret(secret);
    if (await this.store.read.operatorKeys.insertUnlessPresent(key, hash)) return { state: 'created', key };
    const found = await this.store.read.operatorKeys.findByHash(hash);
    return found === undefined ? { state: 'revoked' } : { state: 'present', key: found.key };
  }

  list(): Promise<readonly OperatorKeyRecord[]> {
    return this.store.read.operatorKeys.list();
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.store.read.operatorKeys.revoke(id, now()))) throw new NotFound(`There is no active operator key ${id}.`);
  }

  /** The key a presented secret belongs to, or undefined; the hash is compared in constant time. */
  async authenticate(secret: string): Promise<OperatorKeyRecord | undefined> {
    if (!secret.startsWith(KEY_PREFIX) || secret.length > 200) return undefined;
    const hash = hashSecret(secret);
    const found = await this.store.read.operatorKeys.findByHash(hash);
    if (found === undefined || !sameHash(found.keyHash, hash)) return undefined;
    if (this.touches.due(found.key.id)) await this.store.read.operatorKeys.touch(found.key.id, now());
    return found.key;
  }
}
