import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints.js';
import { Header } from '../components/header.js';
import { Await, Notice, When } from '../components/notice.js';
import { useLoad } from '../components/use-load.js';
import { messageOf } from '../components/errors.js';
import { usePageTitle } from '../components/page-title.js';
import { Link } from '../router.js';
import { SetupLinkForm } from './setup-link-form.js';

/** The operator's home: every tenant, a way to create one, and setup links to hand out. */
export function TenantsPage({ onSignOut }: { onSignOut: () => void }) {
  const { loaded, reload } = useLoad(() => api.tenants(), 'tenants');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [scimOn, setScimOn] = useState(true);
  usePageTitle('Tenants');
  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    try {
      // Seed 000: a tenant may start with SCIM off, for its IT admin to enable.
      await api.createTenant(name.trim(), scimOn);
      setName('');
      setError(undefined);
      reload();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <>
      <Header onSignOut={onSignOut} who="Operator">
        <span>All tenants</span>
      </Header>
      <main id="main" className="content">
        <h1>Tenants</h1>
        <Await loaded={loaded}>
          {({ tenants }) =>
            tenants.length === 0 ? (
              <p className="muted">No tenants yet.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">SCIM</th>
                      <th scope="col">Created</th>
                      <th scope="col">Setup link</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tenants.map((tenant) => (
                      <tr key={tenant.id}>
                        <td>
                          <Link to={`/tenants/${tenant.id}/scim`}>{tenant.name}</Link>
                          <div className="muted small mono">{tenant.id}</div>
                        </td>
                        <td>{tenant.settings.scimEnabled === false ? <span className="badge badge-muted">Off</span> : <span className="badge badge-ok">On</span>}</td>
                        <td>
                          <When at={tenant.createdAt} />
                        </td>
                        <td>
                          <SetupLinkForm tenantId={tenant.id} tenantName={tenant.name} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Await>
        <section className="card" aria-labelledby="new-tenant">
          <h2 id="new-tenant">New tenant</h2>
          <form className="inline-form" onSubmit={(e) => void create(e)}>
            <label htmlFor="tenant-name">Name</label>
            <input id="tenant-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
            <span className="checkbox">
              <input type="checkbox" id="tenant-scim-on" checked={scimOn} onChange={(e) => setScimOn(e.target.checked)} aria-describedby="tenant-scim-help" />
              <label htmlFor="tenant-scim-on">Start with SCIM on</label>
            </span>
            <button type="submit" className="primary" disabled={name.trim() === ''}>
              Create tenant
            </button>
          </form>
          <p id="tenant-scim-help" className="help">
            Leave it off when the customer's IT admin is to enable SCIM on the SCIM page (their first step).
          </p>
          {error === undefined ? null : <Notice kind="error">{error}</Notice>}
        </section>
      </main>
    </>
  );
}
