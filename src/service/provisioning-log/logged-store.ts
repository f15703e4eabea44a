import type { EventStore, Store, StoreSession } from '../../store/store.js';
import { requestScope, TransactionTrace, type RequestLogScope } from './scope.js';

/** The session of a request's transaction, with the events it appends counted in `trace`. */
function tracing(session: StoreSession, trace: TransactionTrace): StoreSession {
  const events: EventStore = {
    append: (tenantId, appended, at) => {
      trace.record(appended);
      return session.events.append(tenantId, appended, at);
    },
    list: (tenantId, afterSeq, limit) => session.events.list(tenantId, afterSeq, limit),
    lastSeq: (tenantId) => session.events.lastSeq(tenantId),
  };
  return { ...session, events };
}

/** `inner.transaction`, also writing the current SCIM request's log entry before commit. */
async function loggedTransaction<T>(inner: Store, work: (session: StoreSession) => Promise<T>): Promise<T> {
  const scope: RequestLogScope | undefined = requestScope.getStore();
  if (scope === undefined) return inner.transaction(work);
  const trace = new TransactionTrace();
  const result = await inner.transaction(async (session) => {
    const value = await work(tracing(session, trace));
    const entry = scope.entry(trace);
    await session.provisioningLog.upsert(entry, scope.unindexed(entry));
    return value;
  });
  scope.committed(trace);
  return result;
}

/**
 * The store the services use. Outside a SCIM request it is the store itself. Inside one
 * (see scope.ts), every transaction also writes the request's provisioning-log entry before
 * it commits, so that a write and its log row commit together or not at all: a write never
 * lacks its log row, and a failed write leaves none claiming it happened. The response's
 * status and duration complete the entry after the response (http/scim/request-log.ts).
 *
 * Everything but `transaction` is the inner store's own, forwarded as it is (a proxy, so
 * that what the Store interface gains later reaches the services unchanged).
 */
export function withProvisioningLog(inner: Store): Store {
  const transaction = <T>(work: (session: StoreSession) => Promise<T>): Promise<T> => loggedTransaction(inner, work);
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
