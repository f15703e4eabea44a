import { useState } from 'react';
import { api } from '../../api/endpoints.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { messageOf } from '../../components/errors.js';
import { Notice } from '../../components/notice.js';
import { DeleteScimSetup } from './delete-setup.js';

/** What disabling SCIM does (seed 000), listed before the admin confirms. */
export const DISABLE_CONSEQUENCES = [
  'Every SCIM bearer token is permanently deleted: your identity provider can no longer provision or deprovision users.',
  'All SCIM groups and group memberships are removed, with the admin group, role mappings and access groups that used them.',
  'SCIM external IDs are cleared from member records.',
  'Members are not deleted or archived: they stay active with their current sign-in method.',
  'If no admin remains once the SCIM groups are gone, the account\'s creator is promoted to admin.',
  'To provision again, re-enable SCIM and generate a new token.',
];

/** The danger zone: disable SCIM behind a confirmation that lists its consequences. */
export function DisableScim({ tenantId, onDisabled }: { tenantId: string; onDisabled: (how: 'disabled' | 'deleted') => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const disable = async (): Promise<void> => {
    setBusy(true);
    try {
      await api.updateSettings(tenantId, { scimEnabled: false });
      setOpen(false);
      onDisabled('disabled');
    } catch (failure) {
      setError(messageOf(failure));
      setOpen(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card danger-zone" aria-labelledby="disable">
      <h2 id="disable">Disable SCIM</h2>
      <p>Stops provisioning from your identity provider. You will be asked to confirm.</p>
      {error === undefined ? null : <Notice kind="error">{error}</Notice>}
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        Disable SCIM Provisioning
      </button>
      <DeleteScimSetup tenantId={tenantId} onDeleted={() => onDisabled('deleted')} />
      <ConfirmDialog open={open} title="Disable SCIM provisioning?" confirmLabel="Disable SCIM" danger busy={busy} onConfirm={() => void disable()} onCancel={() => setOpen(false)}>
        <p>When SCIM is disabled:</p>
        <ul>
          {DISABLE_CONSEQUENCES.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </ConfirmDialog>
    </section>
  );
}
