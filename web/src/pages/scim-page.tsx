import { useState } from 'react';
import { api } from '../api/endpoints.js';
import { CopyField } from '../components/copy-field.js';
import { messageOf } from '../components/errors.js';
import { Notice } from '../components/notice.js';
import { ConnectionStatus } from './scim/connection-status.js';
import { DisableScim } from './scim/disable-scim.js';
import { IdpGuidePanel } from './scim/idp-guide.js';
import { TokenPanel } from './scim/token-panel.js';
import type { TenantPageProps } from '../api/tenant-context.js';

/** The SCIM tab (seed 000): enable, tokens, base URL, the IdP's guide, connection status, disable. */
export function ScimPage({ context, reload }: TenantPageProps) {
  const { tenant, settings } = context;
  // The token-only form: the same server's /scim/v2, where the token names the tenant.
  const tokenOnlyBaseUrl = tenant.scimBaseUrl.replace(/\/[^/]+$/, '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // What ended SCIM in this visit: the page says which, since the two leave different things behind.
  const [ended, setEnded] = useState<'disabled' | 'deleted' | undefined>();
  const enable = async (): Promise<void> => {
    setBusy(true);
    try {
      await api.updateSettings(tenant.id, { scimEnabled: true });
      setError(undefined);
      setEnded(undefined);
      reload();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  if (!settings.scimEnabled) {
    return (
      <>
        <h1>SCIM provisioning</h1>
        {ended === 'deleted' ? (
          <Notice kind="success" title="SCIM setup deleted">
            Its tokens, SCIM groups and SCIM user records are gone. Your members stay, no longer managed by SCIM. To provision again, enable SCIM and set up your identity provider from the start.
          </Notice>
        ) : ended === 'disabled' ? (
          <Notice kind="success" title="SCIM disabled">
            The tokens are deleted and your identity provider's requests are refused. Members stay active; enable SCIM again to resume with a new token.
          </Notice>
        ) : null}
        <section className="card" aria-labelledby="scim-off">
          <h2 id="scim-off">
            SCIM is <span className="badge badge-muted">Off</span>
          </h2>
          <p>With SCIM on, your identity provider creates, updates, deactivates and reactivates your members, and pushes the groups you use for roles and access.</p>
          <p>While SCIM is on together with SAML or OIDC, a sign-in through SSO cannot create a member that SCIM did not provision.</p>
          {error === undefined ? null : <Notice kind="error">{error}</Notice>}
          <button type="button" className="primary" onClick={() => void enable()} disabled={busy}>
            {busy ? 'Enabling…' : 'Enable SCIM Provisioning'}
          </button>
        </section>
      </>
    );
  }

  return (
    <>
      <h1>SCIM provisioning</h1>
      <p className="lede">
        SCIM is <span className="badge badge-ok">On</span>. Give your identity provider the endpoint URL and a token, then follow its guide below.
      </p>
      <section className="card" aria-labelledby="endpoint">
        <h2 id="endpoint">1. SCIM Endpoint URL</h2>
        <CopyField label="SCIM base URL" value={tenant.scimBaseUrl} />
        <p className="help">Every SCIM request of this account goes below this URL, e.g. {tenant.scimBaseUrl}/Users. Entra ID, Okta, OneLogin, JumpCloud and Google Workspace take this one.</p>
        <CopyField label="Token-only SCIM base URL" value={tokenOnlyBaseUrl} />
        <p className="help">The same endpoint without the account id: the token tells which account the requests are for. Use it where a client has a fixed base URL, or your product's guide gives one ending in /scim/v2.</p>
      </section>
      <TokenPanel tenantId={tenant.id} />
      <IdpGuidePanel tenantId={tenant.id} baseUrl={tenant.scimBaseUrl} tokenOnlyBaseUrl={tokenOnlyBaseUrl} saved={settings.identityProvider} onSaved={reload} />
      <ConnectionStatus tenantId={tenant.id} />
      <DisableScim
        tenantId={tenant.id}
        onDisabled={(how) => {
          setEnded(how);
          reload();
        }}
      />
    </>
  );
}
