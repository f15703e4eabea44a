import { randomUUID } from 'node:crypto';

/** The current time as stored: ISO-8601 UTC with milliseconds. */
export function now(): string {
  return new Date().toISOString();
}

/** Resource, tenant and token ids: random UUIDs, unique across every resource (RFC 7643 §3.1). */
export function newId(): string {
  return randomUUID();
}
