import type { OperatorKeyRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { Invalid, NotFound } from './errors.js';
import { TouchThrottle, hashSecret, newSecret, sameHash } from './secrets.js';

const KEY_PREFIX = 'rok_';

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
