import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { messageOf } from '../../components/errors.js';
import { Notice } from '../../components/notice.js';

/**
 * Deleting the SCIM setup (seed 002): allowed once the IdP has deprovisioned every member it
 * provisioned; the API says how many are still active when it refuses.
 */
export function DeleteScimSetup({ tenantId, onDeleted }: { tenantId: string; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const remove = async (): Promise<void> => {
    setBusy(true);
    try {
      await api.deleteScimSetup(tenantId);
      setError(undefined);
      onDeleted();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };
  return (
    <>
      <h3>Delete the SCIM setup</h3>
      <p>After your identity provider has disabled and removed every user of the application, delete the setup: its tokens, groups and SCIM records go; members stay.</p>
      {error === undefined ? null : <Notice kind="error">{error}</Notice>}
      <button type="button" className="danger-outline" onClick={() => setOpen(true)}>
        Delete SCIM setup
      </button>
      <ConfirmDialog open={open} title="Delete the SCIM setup?" confirmLabel="Delete setup" danger busy={busy} onConfirm={() => void remove()} onCancel={() => setOpen(false)}>
        <p>Tokens, SCIM groups and SCIM user records are deleted. Members stay, no longer managed by SCIM. This is refused while members your identity provider provisioned are still active.</p>
      </ConfirmDialog>
    </>
  );
}
