import { useState } from 'react';
import { api } from '../api/endpoints.js';
import { CopyField } from '../components/copy-field.js';
import { messageOf } from '../components/errors.js';
import { Notice } from '../components/notice.js';

/** Creates a setup link for a tenant's IT admin and shows it once, to copy. */
export function SetupLinkForm({ tenantId, tenantName }: { tenantId: string; tenantName: string }) {
  const [link, setLink] = useState<{ url: string; expiresAt: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const create = async (): Promise<void> => {
    try {
      setLink(await api.createSetupLink(tenantId));
      setError(undefined);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  if (link !== undefined) {
    return (
      <div>
        <CopyField label={`Setup link for ${tenantName}`} value={link.url} secret />
        <p className="help">Valid until {new Date(link.expiresAt).toLocaleString()}. It is shown once.</p>
      </div>
    );
  }
  return (
    <>
      <button type="button" onClick={() => void create()} aria-label={`Create setup link for ${tenantName}`}>
        Create setup link
      </button>
      {error === undefined ? null : <Notice kind="error">{error}</Notice>}
    </>
  );
}
