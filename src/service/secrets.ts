import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret: a recognisable prefix (for secret scanners) and 32 random bytes, base64url. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Secrets are stored only as their SHA-256; 32 random bytes need no slow hash. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Says when a "last used" time is worth writing: at most once a minute per id, to keep reads free of writes. */
export class TouchThrottle {
  private readonly touchedAt = new Map<string, number>();

  constructor(private readonly intervalMs = 60_000) {}

  due(id: string): boolean {
    const now = Date.now();
    if (now - (this.touchedAt.get(id) ?? 0) <= this.intervalMs) return false;
    this.touchedAt.set(id, now);
    return true;
  }
}
