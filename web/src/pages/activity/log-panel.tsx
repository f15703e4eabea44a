import { useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints.js';
import type { LogEntry } from '../../api/types.js';
import { Await, When } from '../../components/notice.js';
import { useLoad } from '../../components/use-load.js';
import { Link } from '../../router.js';
import { shortPath } from './log-path.js';

interface Filters {
  readonly status: string;
  readonly resource: string;
  readonly since: string;
  readonly until: string;
  readonly text: string;
}

const NO_FILTERS: Filters = { status: '', resource: '', since: '', until: '', text: '' };

/** A datetime-local value (the reader's time) as an ISO instant, or undefined. */
function instant(local: string): string | undefined {
  return local === '' ? undefined : new Date(local).toISOString();
}

/** Milliseconds, rounded for people. */
function ms(duration: number | null): string {
  return duration === null ? '—' : `${duration < 10 ? duration.toFixed(1) : Math.round(duration)} ms`;
}

/** The users and groups a request touched, by type and id. */
function Resources({ entry }: { entry: LogEntry }) {
  if (entry.resources.length === 0) return null;
  return (
    <ul className="log-resources small">
      {entry.resources.map((resource) => (
        <li key={`${resource.type}:${resource.id}`}>
          {resource.type} <span className="mono">{resource.id}</span>
        </li>
      ))}
    </ul>
  );
}

/** "2 undeclared attributes": what the request's writes carried that no schema declares. */
function undeclaredCount(entry: LogEntry): string {
  return `${entry.undeclared.length} undeclared attribute${entry.undeclared.length === 1 ? '' : 's'}`;
}

/** The undeclared attributes of a request, with where to declare them. */
function Undeclared({ entry, tenantId }: { entry: LogEntry; tenantId: string }) {
  return (
    <>
      <ul className="plain-list mono" aria-label="Undeclared attributes">
        {entry.undeclared.map((path) => (
          <li key={path}>{path}</li>
        ))}
      </ul>
      <div className="help">
        Ignored: no schema of this account declares them. Declare the ones your product needs under <Link to={`/tenants/${tenantId}/settings`}>Settings → Custom attributes</Link>.
      </div>
    </>
  );
}

function StatusBadge({ status }: { status: number | null }) {
  if (status === null) return <span className="badge badge-muted">…</span>;
  return <span className={`badge ${status >= 400 ? 'badge-error' : 'badge-ok'}`}>{status}</span>;
}

function Detail({ entry, tenantId }: { entry: LogEntry; tenantId: string }) {
  let body = entry.requestBody;
  if (body !== null) {
    try {
      body = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      // A truncated body is shown as it was stored.
    }
  }
  return (
    <div className="log-detail">
      <dl className="pairs">
        <dt>Request</dt>
        <dd className="mono">
          {entry.method} {entry.path}
        </dd>
        <dt>Result</dt>
        <dd>
          <StatusBadge status={entry.status} /> {entry.durationMs === null ? '' : `in ${ms(entry.durationMs)}`}
          {entry.scimType === null ? null : <span className="mono"> · scimType {entry.scimType}</span>}
        </dd>
        {entry.errorDetail === null ? null : (
          <>
            <dt>Error</dt>
            <dd className="error-text">{entry.errorDetail}</dd>
          </>
        )}
        <dt>Token</dt>
        <dd>{entry.tokenName ?? '—'}</dd>
        <dt>User agent</dt>
        <dd>{entry.userAgent ?? '—'}</dd>
        <dt>Resources</dt>
        <dd className="mono">{entry.resources.length === 0 ? '—' : entry.resources.map((r) => `${r.type} ${r.id}`).join(', ')}</dd>
        <dt>Events</dt>
        <dd>{entry.events}</dd>
        {entry.undeclared.length === 0 ? null : (
          <>
            <dt>Undeclared attributes</dt>
            <dd>
              <Undeclared entry={entry} tenantId={tenantId} />
            </dd>
          </>
        )}
      </dl>
      {body === null ? null : (
        <>
          <h4>Request body (secrets redacted)</h4>
          <pre className="code-block" tabIndex={0}>
            {body}
          </pre>
        </>
      )}
    </div>
  );
}

/** The provisioning log: every SCIM request, with filters, each request's detail and error. */
export function LogPanel({ tenantId }: { tenantId: string }) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<string | undefined>();
  const cursor = cursors[cursors.length - 1];
  const { loaded, reload } = useLoad(
    () => api.log(tenantId, { status: filters.status, resource: filters.resource.trim(), q: filters.text.trim(), since: instant(filters.since), until: instant(filters.until), cursor }),
    `log:${tenantId}:${JSON.stringify(filters)}:${cursor ?? ''}`,
  );
  const apply = (event: FormEvent): void => {
    event.preventDefault();
    setCursors([]);
    setFilters(draft);
  };
  const field = (name: keyof Filters) => ({ value: draft[name], onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value }) });

  return (
    <section className="card" aria-labelledby="log">
      <div className="card-head">
        <h2 id="log">Provisioning log</h2>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <form className="filter-form" onSubmit={apply} aria-label="Filter the provisioning log">
        <div>
          <label htmlFor="log-status">Status</label>
          <select id="log-status" {...field('status')}>
            <option value="">All</option>
            <option value="2xx">Succeeded (2xx)</option>
            <option value="error">Failed (4xx and 5xx)</option>
            <option value="4xx">Client errors (4xx)</option>
            <option value="5xx">Server errors (5xx)</option>
          </select>
        </div>
        <div>
          <label htmlFor="log-resource">Resource id</label>
          <input id="log-resource" className="mono" {...field('resource')} placeholder="user or group id" />
        </div>
        <div>
          <label htmlFor="log-since">From</label>
          <input id="log-since" type="datetime-local" {...field('since')} />
        </div>
        <div>
          <label htmlFor="log-until">To</label>
          <input id="log-until" type="datetime-local" {...field('until')} />
        </div>
        <div>
          <label htmlFor="log-text">Text</label>
          <input id="log-text" type="search" {...field('text')} placeholder="path, body, error…" />
        </div>
        <div className="filter-actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
        </div>
      </form>
      <Await loaded={loaded}>
        {({ entries, nextCursor }) => (
          <>
            {entries.length === 0 ? (
              <p className="muted">No requests match.</p>
            ) : (
              <div className="table-wrap">
                <table className="log-table">
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Request</th>
                      <th scope="col">Status</th>
                      <th scope="col">Duration</th>
                      <th scope="col">Token</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((entry) => (
                      <LogRow key={entry.id} entry={entry} tenantId={tenantId} open={open === entry.id} onToggle={() => setOpen(open === entry.id ? undefined : entry.id)} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <div className="pager">
              <button type="button" onClick={() => setCursors(cursors.slice(0, -1))} disabled={cursors.length === 0}>
                Newer
              </button>
              <button type="button" onClick={() => nextCursor !== undefined && setCursors([...cursors, nextCursor])} disabled={nextCursor === undefined}>
                Older
              </button>
            </div>
          </>
        )}
      </Await>
    </section>
  );
}

function LogRow({ entry, tenantId, open, onToggle }: { entry: LogEntry; tenantId: string; open: boolean; onToggle: () => void }) {
  return (
    <>
      <tr className={entry.status !== null && entry.status >= 400 ? 'row-error' : undefined}>
        <td>
          <When at={entry.startedAt} />
        </td>
        <td className="log-request">
          <button type="button" className="link-button mono" aria-expanded={open} onClick={onToggle}>
            {entry.method} {shortPath(entry.path, tenantId)}
          </button>
          <Resources entry={entry} />
          {entry.undeclared.length === 0 ? null : <div className="small muted">{undeclaredCount(entry)}</div>}
          {entry.errorDetail === null ? null : <div className="error-text small">{entry.errorDetail}</div>}
        </td>
        <td>
          <StatusBadge status={entry.status} />
        </td>
        <td>{ms(entry.durationMs)}</td>
        <td>{entry.tokenName ?? '—'}</td>
      </tr>
      {open ? (
        <tr className="detail-row">
          <td colSpan={5}>
            <Detail entry={entry} tenantId={tenantId} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
