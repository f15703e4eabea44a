import { useState } from 'react';
import type { ScimToken } from '../../api/types.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';

/** How long the old token may keep working after a rotation; "" is until it is revoked. */
const OVERLAPS = [
  { hours: '', label: 'Until I revoke it' },
  { hours: '1', label: '1 hour' },
  { hours: '24', label: '24 hours' },
  { hours: '168', label: '7 days' },
] as const;

/** The rotation's confirmation: what happens to the old token, and for how long it keeps working. */
export function RotateDialog({ token, busy, onRotate, onCancel }: { token: ScimToken | undefined; busy: boolean; onRotate: (token: ScimToken, overlapHours: number | undefined) => void; onCancel: () => void }) {
  const [overlap, setOverlap] = useState<string>('');
  return (
    <ConfirmDialog
      open={token !== undefined}
      title={`Rotate "${token?.name ?? ''}"?`}
      confirmLabel="Generate the new token"
      busy={busy}
      onConfirm={() => token !== undefined && onRotate(token, overlap === '' ? undefined : Number(overlap))}
      onCancel={onCancel}
    >
      <p>A new token is generated under the same name and shown once. The old token is not revoked: it keeps working while you put the new one in your identity provider.</p>
      <label htmlFor="rotate-overlap">The old token keeps working</label>
      <select id="rotate-overlap" value={overlap} onChange={(e) => setOverlap(e.target.value)}>
        {OVERLAPS.map((choice) => (
          <option key={choice.hours} value={choice.hours}>
            {choice.label}
          </option>
        ))}
      </select>
      <p className="help">Then revoke the old token here, or let it end after the time you chose.</p>
    </ConfirmDialog>
  );
}
