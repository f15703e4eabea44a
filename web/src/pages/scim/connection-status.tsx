import { api } from '../../api/endpoints.js';
import type { LogEntry, RefusedSummary } from '../../api/types.js';
import { Await, When } from '../../components/notice.js';
import { useLoad } from '../../components/use-load.js';
import { Link } from '../../router.js';
import { UndeclaredAttributes } from './undeclared-attributes.js';

/**
 * A 404 to a GET or DELETE of one user or group is what an IdP gets when it checks or deletes
 * something already gone (Entra does after every delete): normal, not an error to show.
 */
function isExpectedNotFound(entry: LogEntry): boolean {
  return entry.status === 404 && (entry.method === 'GET' || entry.method === 'DELETE') && /\/(Users|Groups)\/[^/?]+$/.test(entry.path.split('?')[0] ?? '');
}

function Outcome({ entry }: { entry: LogEntry }) {
  if (entry.status === null) return <span className="badge badge-muted">In progress</span>;
  if (isExpectedNotFound(entry)) return <span className="badge badge-muted">{entry.status} already gone</span>;
  return entry.status < 400 ? <span className="badge badge-ok">{entry.status} OK</span> : <span className="badge badge-error">{entry.status} failed</span>;
}

/** Requests refused before authentication: counted per minute by the server, never logged one by one. */
function Refused({ refused }: { refused: RefusedSummary }) {
  const [latest] = refused.minutes;
  if (latest === undefined) return <span className="muted">None in the last 24 hours</span>;
  return (
    <>
      <span className="badge badge-error">{refused.total} in the last 24 hours</span> · last <When at={latest.lastAt} />
      {latest.lastUserAgent === null ? null : <span className="muted"> · from "{latest.lastUserAgent}"</span>}
      <div className="help">A wrong, revoked or expired token. If your identity provider sent these, give it a new token.</div>
    </>
  );
}

/** The last request from the IdP, its result and the last error, from the provisioning log. */
export function ConnectionStatus({ tenantId }: { tenantId: string }) {
  const { loaded, reload } = useLoad(
    async () => {
      const [latest, errors, refused, undeclared] = await Promise.all([api.log(tenantId, { limit: 1 }), api.log(tenantId, { status: 'error', limit: 20 }), api.refusedRequests(tenantId), api.undeclaredAttributes(tenantId)]);
      return { last: latest.entries[0], lastError: errors.entries.find((entry) => !isExpectedNotFound(entry)), refused, undeclared: undeclared.attributes };
    },
    `status:${tenantId}`,
  );
  return (
    <section className="card" aria-labelledby="connection">
      <div className="card-head">
        <h2 id="connection">4. Connection status</h2>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <Await loaded={loaded}>
        {({ last, lastError, refused, undeclared }) =>
          last === undefined ? (
            <>
              <p className="muted">No request from your identity provider yet. Use its "Test connection" button once it is configured.</p>
              {refused.total === 0 ? null : (
                <dl className="pairs">
                  <dt>Refused requests</dt>
                  <dd>
                    <Refused refused={refused} />
                  </dd>
                </dl>
              )}
            </>
          ) : (
            <dl className="pairs">
              <dt>Last request</dt>
              <dd>
                <When at={last.startedAt} /> · <span className="mono">{last.method} {last.path}</span>
                {last.tokenName === null ? null : <span className="muted"> · token "{last.tokenName}"</span>}
              </dd>
              <dt>Result</dt>
              <dd>
                <Outcome entry={last} />
              </dd>
              <dt>Last error</dt>
              <dd>
                {lastError === undefined ? (
                  <span className="muted">None</span>
                ) : (
                  <>
                    <When at={lastError.startedAt} /> · <span className="mono">{lastError.method} {lastError.path}</span> → {lastError.status}
                    {lastError.errorDetail === null ? null : <div className="error-text">{lastError.errorDetail}</div>}
                  </>
                )}
              </dd>
              <dt>Refused requests</dt>
              <dd>
                <Refused refused={refused} />
              </dd>
              <dt>Ignored attributes</dt>
              <dd>
                <UndeclaredAttributes tenantId={tenantId} attributes={undeclared} />
              </dd>
            </dl>
          )
        }
      </Await>
      <p className="help">
        A 404 to a user or group the identity provider had already deleted is normal and not shown as an error. Every request is in the <Link to={`/tenants/${tenantId}/activity`}>provisioning log</Link>.
      </p>
    </section>
  );
}
