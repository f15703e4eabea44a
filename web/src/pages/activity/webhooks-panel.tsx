import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { DeliveryState, WebhookEndpoint } from '../../api/types.js';
import { messageOf } from '../../components/errors.js';
import { Await, Notice, When } from '../../components/notice.js';
import { useLoad } from '../../components/use-load.js';

const STATE_BADGE: Readonly<Record<DeliveryState, string>> = { pending: 'badge-warn', delivered: 'badge-ok', dead: 'badge-error' };

/** One endpoint's deliveries, filtered by state; dead letters can be sent again. */
function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const [state, setState] = useState<DeliveryState | ''>('dead');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const { loaded, reload } = useLoad(() => api.deliveries(endpoint.id, state === '' ? undefined : state), `deliveries:${endpoint.id}:${state}`);
  const redeliver = async (id: string): Promise<void> => {
    try {
      await api.redeliver(endpoint.id, id);
      setMessage({ kind: 'success', text: 'Queued for delivery again.' });
    } catch (failure) {
      setMessage({ kind: 'error', text: messageOf(failure) });
    }
    reload();
  };
  const selectId = `state-${endpoint.id}`;
  return (
    <div className="deliveries">
      <div className="filters">
        <label htmlFor={selectId}>Deliveries</label>
        <select id={selectId} value={state} onChange={(e) => setState(e.target.value as DeliveryState | '')}>
          <option value="dead">Dead letters</option>
          <option value="pending">Pending</option>
          <option value="delivered">Delivered</option>
          <option value="">All</option>
        </select>
      </div>
      {message === undefined ? null : <Notice kind={message.kind}>{message.text}</Notice>}
      <Await loaded={loaded}>
        {({ deliveries }) =>
          deliveries.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">State</th>
                    <th scope="col">Tries</th>
                    <th scope="col">Last answer</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.map((d) => (
                    <tr key={d.id}>
                      <td className="mono">
                        #{d.eventSeq} {d.eventType}
                      </td>
                      <td>
                        <span className={`badge ${STATE_BADGE[d.state]}`}>{d.state}</span>
                      </td>
                      <td>{d.attempts}</td>
                      <td>
                        {d.lastStatus ?? '—'}
                        {d.lastError === null ? null : <div className="error-text small">{d.lastError}</div>}
                      </td>
                      <td>
                        <When at={d.updatedAt} />
                      </td>
                      <td>
                        {d.state === 'pending' ? null : (
                          <button type="button" onClick={() => void redeliver(d.id)} aria-label={`Redeliver event ${d.eventSeq}`}>
                            Redeliver
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Await>
    </div>
  );
}

/** The tenant's webhook endpoints (and the global ones), with their deliveries and dead letters. */
export function WebhooksPanel({ tenantId }: { tenantId: string }) {
  const { loaded } = useLoad(() => api.webhooks(tenantId), `webhooks:${tenantId}`);
  return (
    <section className="card" aria-labelledby="webhooks">
      <h2 id="webhooks">Webhooks</h2>
      <Await loaded={loaded}>
        {({ webhooks: endpoints }) =>
          endpoints.length === 0 ? (
            <p className="muted">No webhook endpoints receive this tenant's events. The SaaS team adds them through the management API.</p>
          ) : (
            <ul className="endpoint-list">
              {endpoints.map((endpoint) => (
                <li key={endpoint.id}>
                  <details>
                    <summary>
                      <span className="mono">{endpoint.url}</span> {endpoint.enabled ? <span className="badge badge-ok">enabled</span> : <span className="badge badge-muted">disabled</span>}
                      {endpoint.tenantId === null ? <span className="badge badge-info">all tenants</span> : null}
                      <span className="muted small"> {endpoint.eventTypes.length === 0 ? 'every event' : endpoint.eventTypes.join(', ')}</span>
                    </summary>
                    <Deliveries endpoint={endpoint} />
                  </details>
                </li>
              ))}
            </ul>
          )
        }
      </Await>
    </section>
  );
}
