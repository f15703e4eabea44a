import { UniqueViolation } from '../store.js';
import type { DialectAdapter } from './dialect-adapter.js';

/** Runs a write, turning the engine's unique-key error into the store's `UniqueViolation`. */
export async function translateUniqueKeyError(adapter: DialectAdapter, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const key = adapter.uniqueViolation(error);
    if (key !== undefined) throw new UniqueViolation(key);
    throw error;
  }
}
