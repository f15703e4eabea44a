import { useEffect, useId, useState } from 'react';
import { api } from '../../api/endpoints.js';
import { CopyField } from '../../components/copy-field.js';
import { messageOf } from '../../components/errors.js';
import { Notice } from '../../components/notice.js';
import { IDP_GUIDES, idpOfUserAgent, type IdpGuide, type IdpId } from '../../idp/guides.js';

function MappingTable({ caption, rows, idpName }: { caption: string; rows: IdpGuide['userMappings']; idpName: string }) {
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{idpName} attribute</th>
            <th scope="col">SCIM attribute</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.idp}→${row.scim}`}>
              <td className="mono">{row.idp}</td>
              <td className="mono">{row.scim}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Pick the identity provider and read its step-by-step guide with the attribute mappings. */
export function IdpGuidePanel({ tenantId, baseUrl, tokenOnlyBaseUrl, saved, onSaved }: { tenantId: string; baseUrl: string; tokenOnlyBaseUrl: string; saved: IdpId | null; onSaved: () => void }) {
  const selectId = useId();
  // The choice is the tenant's `identityProvider` setting, so every admin sees the same guide;
  // until someone picks one, the identity provider that last called (its User-Agent in the
  // provisioning log) is shown.
  const [choice, setChoice] = useState<IdpId | ''>(saved ?? '');
  const [detected, setDetected] = useState<IdpId | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => setChoice(saved ?? ''), [saved]);
  useEffect(() => {
    if (saved !== null) return;
    let current = true;
    void api.log(tenantId, { limit: 1 }).then(
      (page) => {
        const found = idpOfUserAgent(page.entries[0]?.userAgent ?? null);
        if (current && found !== undefined) {
          setDetected(found);
          setChoice(found);
        }
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [tenantId, saved]);
  const guide = IDP_GUIDES.find((g) => g.id === choice);
  const choose = async (value: string): Promise<void> => {
    const next = IDP_GUIDES.find((g) => g.id === value)?.id ?? '';
    setChoice(next);
    setDetected(undefined);
    try {
      await api.updateSettings(tenantId, { identityProvider: next === '' ? null : next });
      setError(undefined);
      onSaved();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section className="card" aria-labelledby="idp">
      <h2 id="idp">3. Configure your identity provider</h2>
      <label htmlFor={selectId}>Identity provider</label>
      <p className="help">Your choice is saved for this account: every admin sees the same guide.</p>
      <select id={selectId} value={choice} onChange={(e) => void choose(e.target.value)}>
        <option value="">Choose your identity provider…</option>
        {IDP_GUIDES.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
      {error === undefined ? null : <Notice kind="error">{error}</Notice>}
      {detected === undefined || detected !== choice ? null : <p className="help">Chosen from the identity provider that last called this account.</p>}
      {guide === undefined ? null : (
        <div className="guide" aria-live="polite">
          <h3>{guide.name}</h3>
          <p>{guide.summary}</p>
          {/* Each value under the name the IdP's form gives it, copyable where the admin reads the steps. */}
          <CopyField label={`${guide.fields.baseUrl} (${guide.name})`} value={baseUrl} />
          {guide.fields.tokenOnlyBaseUrl === undefined ? null : <CopyField label={`${guide.fields.tokenOnlyBaseUrl} (${guide.name})`} value={tokenOnlyBaseUrl} />}
          <dl className="pairs">
            <dt>{guide.fields.token}</dt>
            <dd>the token you generated above</dd>
          </dl>
          <ol className="steps">
            {guide.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          <MappingTable caption="User attribute mappings" rows={guide.userMappings} idpName={guide.name} />
          <MappingTable caption="Group attribute mappings" rows={guide.groupMappings} idpName={guide.name} />
          {guide.notes.length === 0 ? null : (
            <ul className="notes">
              {guide.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
