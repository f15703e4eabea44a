import type { LogSearch, ProvisioningLogEntry } from '../../store/log-store.js';
import type { RefusedMinute } from '../../store/refused-request-store.js';
import type { Store } from '../../store/store.js';
import { Invalid, NotFound } from '../errors.js';
import type { LogRecorder } from './log-recorder.js';

/** A search of the provisioning log as the management API receives it. */
export interface LogQuery {
  readonly since?: string;
  readonly until?: string;
  /** `404`, a class such as `4xx`, or `error` (every status from 400). */
  readonly status?: string;
  readonly resource?: string;
  readonly text?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface LogPage {
  readonly entries: readonly ProvisioningLogEntry[];
  /** Continues with older entries; absent on the last page. */
  readonly nextCursor?: string;
}

/** Requests refused before authentication, per minute, newest first (the console's connection status). */
export interface RefusedSummary {
  /** All of them since `since`. */
  readonly total: number;
  readonly since: string;
  readonly minutes: readonly Omit<RefusedMinute, 'tenantId'>[];
}

/** The summary covers a day by default, and at most a week of minutes. */
const REFUSED_DEFAULT_MS = 24 * 3_600_000;
const REFUSED_MAX_MINUTES = 7 * 24 * 60;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

function statusRange(text: string): { min: number; max: number } {
  if (text === 'error') return { min: 400, max: 599 };
  const single = /^[1-5]\d\d$/.exec(text);
  if (single !== null) return { min: Number(text), max: Number(text) };
  const family = /^([1-5])xx$/i.exec(text);
  if (family?.[1] !== undefined) return { min: Number(family[1]) * 100, max: Number(family[1]) * 100 + 99 };
  throw new Invalid(`Unknown status filter "${text}": use a status (404), a class (4xx) or "error".`);
}

function instant(text: string, name: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Invalid(`"${name}" must be an ISO-8601 date and time.`);
  return new Date(ms).toISOString();
}

function encodeLogCursor(entry: ProvisioningLogEntry): string {
  return Buffer.from(`${entry.startedAt}|${entry.id}`, 'utf8').toString('base64url');
}

function decodeLogCursor(cursor: string): { startedAt: string; id: string } {
  const [startedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (startedAt === undefined || id === undefined || Number.isNaN(Date.parse(startedAt))) throw new Invalid('The cursor is not one this API issued.');
  return { startedAt, id };
}

/** The provisioning log: what each SCIM request did, for the admin troubleshooting a sync (seeds 002, 004). */
export class ProvisioningLogService {
  constructor(
    private readonly store: Store,
    /** Writes the after-the-response rows; the HTTP layer hands it each finished request. */
    readonly recorder: LogRecorder,
  ) {}

  async search(tenantId: string, query: LogQuery): Promise<LogPage> {
    if ((await this.store.read.tenants.get(tenantId)) === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
    const search: LogSearch = {
      limit: limit + 1,
      ...(query.since === undefined ? {} : { since: instant(query.since, 'since') }),
      ...(query.until === undefined ? {} : { until: instant(query.until, 'until') }),
      ...(query.status === undefined ? {} : { status: statusRange(query.status) }),
      ...(query.resource === undefined ? {} : { resourceId: query.resource }),
      ...(query.text === undefined ? {} : { text: query.text }),
      ...(query.cursor === undefined ? {} : { before: decodeLogCursor(query.cursor) }),
    };
    const rows = await this.store.read.provisioningLog.search(tenantId, search);
    const entries = rows.slice(0, limit);
    const last = entries[entries.length - 1];
    return rows.length > limit && last !== undefined ? { entries, nextCursor: encodeLogCursor(last) } : { entries };
  }

  /** The requests naming the tenant that were refused for want of valid credentials, per minute since `since` (default: a day ago). */
  async refused(tenantId: string, since?: string): Promise<RefusedSummary> {
    if ((await this.store.read.tenants.get(tenantId)) === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    const from = since === undefined ? new Date(Date.now() - REFUSED_DEFAULT_MS).toISOString() : instant(since, 'since');
    // The minute `since` falls in counts whole: rows are keyed by the start of their minute.
    const rows = await this.store.read.refusedRequests.list(tenantId, `${from.slice(0, 16)}:00.000Z`, REFUSED_MAX_MINUTES);
    const minutes = rows.map(({ tenantId: _tenant, ...minute }) => minute);
    return { total: minutes.reduce((sum, minute) => sum + minute.count, 0), since: from, minutes };
  }

  /** Removes log entries (and delivered webhook deliveries, and refused-request counts) older than `before`, tenant by tenant; how many log entries. */
  async prune(before: string, batch = 1000): Promise<number> {
    let removed = 0;
    for (const tenant of await this.store.read.tenants.list()) {
      for (;;) {
        const count = await this.store.read.provisioningLog.prune(tenant.id, before, batch);
        removed += count;
        if (count < batch) break;
      }
      while ((await this.store.read.webhooks.pruneDelivered(tenant.id, before, batch)) === batch);
      while ((await this.store.read.refusedRequests.prune(tenant.id, before, batch)) === batch);
    }
    return removed;
  }
}
