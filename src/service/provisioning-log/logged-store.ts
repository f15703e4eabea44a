import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventStore, Store, StoreSession } from '../../store/store.js';
import type { UndeclaredAttributeStore } from '../../store/undeclared-attribute-store.js';
import { requestScope, TransactionTrace, type RequestLogScope } from './scope.js';

/**
 * The session of a request's transaction, with the events it appends and the undeclared
 * attributes it records noted in `trace` (the log entry says which ones its write carried).
 */
function tracing(session: StoreSession, trace: TransactionTrace): StoreSession {
  const events: EventStore = {
    append: (tenantId, appended, at) => {
      trace.record(appended);
      return session.events.append(tenantId, appended, at);
    },
    list: (tenantId, afterSeq, limit, types) => session.events.list(tenantId, afterSeq, limit, types),
    listGlobal: (query) => session.events.listGlobal(query),
    feedPosition: () => session.events.feedPosition(),
    lastSeq: (tenantId) => session.events.lastSeq(tenantId),
  };
  const undeclaredAttributes: UndeclaredAttributeStore = {
    record: (tenantId, paths, userId, at, maxPaths) => {
      trace.recordUndeclared(paths);
      return session.undeclaredAttributes.record(tenantId, paths, userId, at, maxPaths);
    },
    list: (tenantId, limit) => session.undeclaredAttributes.list(tenantId, limit),
    forget: (tenantId, paths) => session.undeclaredAttributes.forget(tenantId, paths),
  };
  return { ...session, events, undeclaredAttributes };
}

/** The trace of the transaction group the current async context runs in, if any. */
const groupTraces = new AsyncLocalStorage<TransactionTrace>();

/** `inner.transaction`, also writing the current SCIM request's log entry before commit. */
async function loggedTransaction<T>(inner: Store, work: (session: StoreSession) => Promise<T>): Promise<T> {
  const scope: RequestLogScope | undefined = requestScope.getStore();
  if (scope === undefined) return inner.transaction(work);
  const trace = new TransactionTrace();
  const groupTrace = groupTraces.getStore();
  if (groupTrace !== undefined) {
    // In a group the entry is written once, when the group commits; what this transaction
    // did counts only if it was not undone.
    const value = await inner.transaction((session) => work(tracing(session, trace)));
    groupTrace.add(trace);
    return value;
  }
  const result = await inner.transaction(async (session) => {
    const value = await work(tracing(session, trace));
    const entry = scope.entry(trace);
    await session.provisioningLog.upsert(entry, scope.unindexed(entry));
    return value;
  });
  scope.committed(trace);
  return result;
}

/** `inner.transactionGroup`, writing the current SCIM request's log entry once, before the group commits. */
async function loggedGroup<T>(inner: Store, work: (session: StoreSession) => Promise<T>): Promise<T> {
  const scope: RequestLogScope | undefined = requestScope.getStore();
  if (scope === undefined) return inner.transactionGroup(work);
  const trace = new TransactionTrace();
  const result = await inner.transactionGroup(async (session) => {
    const value = await groupTraces.run(trace, () => work(tracing(session, trace)));
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
  const transactionGroup = <T>(work: (session: StoreSession) => Promise<T>): Promise<T> => loggedGroup(inner, work);
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'transaction') return transaction;
      if (property === 'transactionGroup') return transactionGroup;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
