import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { TenantSettings } from '../../api/types.js';
import { messageOf } from '../../components/errors.js';
import { Await, Notice } from '../../components/notice.js';
import { useLoad } from '../../components/use-load.js';
import { ATTRIBUTE_TYPES, defaultSchemaId, newRow, problemsOf, rowsOf, schemasOf, suggestionOf, type AttributeRow, type AttributeType } from './custom-attribute-draft.js';

function RowEditor({ row, index, onChange, onRemove }: { row: AttributeRow; index: number; onChange: (row: AttributeRow) => void; onRemove: () => void }) {
  const label = row.name.trim() === '' ? `attribute ${index + 1}` : row.name.trim();
  return (
    <tr>
      <td>
        <input aria-label={`Name of ${label}`} value={row.name} onChange={(e) => onChange({ ...row, name: e.target.value })} placeholder="e.g. costCenter" maxLength={100} />
      </td>
      <td>
        <select aria-label={`Type of ${label}`} value={row.type} onChange={(e) => onChange({ ...row, type: e.target.value as AttributeType })}>
          {ATTRIBUTE_TYPES.map((type) => (
            <option key={type.value} value={type.value}>
              {type.label}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input type="checkbox" aria-label={`${label} holds several values`} checked={row.multiValued} onChange={(e) => onChange({ ...row, multiValued: e.target.checked })} />
      </td>
      <td>
        <input aria-label={`Allowed values of ${label}`} value={row.canonicalValues} onChange={(e) => onChange({ ...row, canonicalValues: e.target.value })} placeholder={row.type === 'string' ? 'any value' : 'text attributes only'} />
      </td>
      <td>
        <input aria-label={`Schema of ${label}`} className="mono small" value={row.schemaId} onChange={(e) => onChange({ ...row, schemaId: e.target.value })} />
      </td>
      <td>
        <button type="button" className="danger-outline" onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </td>
    </tr>
  );
}

/**
 * The tenant's custom User attributes (setting `extensionSchemas`) as a form: name, type,
 * allowed values, each in an Okta-style extension schema. Problems are said in words before
 * saving; the attributes the IdP sends undeclared are listed, one click from a new row.
 */
export function CustomAttributesPanel({ tenantId, accountName, settings, onSaved }: { tenantId: string; accountName: string; settings: TenantSettings; onSaved: () => void }) {
  const fallbackSchema = settings.extensionSchemas[0]?.id ?? defaultSchemaId(accountName);
  const [rows, setRows] = useState<AttributeRow[]>(() => rowsOf(settings.extensionSchemas));
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string; lines?: string[] } | undefined>();
  const [busy, setBusy] = useState(false);
  const { loaded, reload } = useLoad(() => api.undeclaredAttributes(tenantId), `undeclared:${tenantId}:${JSON.stringify(settings.extensionSchemas)}`);
  const declared = new Set(rows.map((row) => `${row.schemaId.trim()}:${row.name.trim()}`.toLowerCase()));

  const save = async (): Promise<void> => {
    if (busy) return;
    const problems = problemsOf(rows);
    if (problems.length > 0) {
      setMessage({ kind: 'error', text: 'The custom attributes cannot be saved yet:', lines: problems });
      return;
    }
    setBusy(true);
    try {
      await api.updateSettings(tenantId, { extensionSchemas: schemasOf(rows, settings.extensionSchemas) });
      setMessage({ kind: 'success', text: 'Custom attributes saved: your identity provider can send them now.' });
      onSaved();
      reload();
    } catch (failure) {
      setMessage({ kind: 'error', text: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  };
  const update = (key: number, next: AttributeRow | undefined): void => setRows((current) => current.flatMap((row) => (row.key !== key ? [row] : next === undefined ? [] : [next])));
  const declare = (path: string): void => {
    const { schemaId, name } = suggestionOf(path, fallbackSchema);
    setRows((current) => [...current, newRow(schemaId, name)]);
  };

  return (
    <section className="card" aria-labelledby="custom-attributes">
      <h2 id="custom-attributes">Custom attributes</h2>
      <p className="help">User attributes of your own that identity providers may send (Okta-style extension schemas). Values are checked against the type, and against the allowed values when you list them.</p>
      {rows.length === 0 ? (
        <p className="muted">No custom attributes.</p>
      ) : (
        <div className="table-wrap">
          <table className="attribute-rows">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Multi-valued</th>
                <th scope="col">Allowed values</th>
                <th scope="col">Schema</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <RowEditor key={row.key} row={row} index={index} onChange={(next) => update(row.key, next)} onRemove={() => update(row.key, undefined)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <button type="button" onClick={() => setRows((current) => [...current, newRow(fallbackSchema)])}>
        Add attribute
      </button>
      <Await loaded={loaded}>
        {({ attributes }) => {
          const waiting = attributes.filter((attribute) => !declared.has(suggestionOf(attribute.path, fallbackSchema).schemaId.toLowerCase() + ':' + suggestionOf(attribute.path, fallbackSchema).name.toLowerCase()));
          return waiting.length === 0 ? null : (
            <>
              <h3>Sent by your identity provider, not declared</h3>
              <ul className="plain-list" aria-label="Undeclared attributes">
                {waiting.map((attribute) => (
                  <li key={attribute.path}>
                    <span className="mono">{attribute.path}</span> <span className="muted">({attribute.count}×)</span>{' '}
                    <button type="button" onClick={() => declare(attribute.path)} aria-label={`Declare ${attribute.path}`}>
                      Declare
                    </button>
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </Await>
      {message === undefined ? null : (
        <Notice kind={message.kind}>
          {message.text}
          {message.lines === undefined ? null : (
            <ul>
              {message.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      <button type="button" className="primary" onClick={() => void save()} aria-disabled={busy}>
        {busy ? 'Saving…' : 'Save custom attributes'}
      </button>
    </section>
  );
}
