import { useEffect, useRef } from 'react';
import type { IssuedToken, RotatedToken } from '../../api/types.js';
import { CopyField } from '../../components/copy-field.js';
import { When } from '../../components/notice.js';

/**
 * The secret just generated or rotated: shown in the blue box until the admin dismisses it,
 * never again. It takes the focus when it appears, so a keyboard user lands on the secret.
 */
export function NewTokenBox({ issued, onDone }: { issued: IssuedToken | RotatedToken; onDone: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  // After the task that closes a confirmation dialog, which hands the focus back to its opener.
  useEffect(() => {
    const timer = setTimeout(() => box.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [issued.id]);
  const previous = 'previous' in issued ? issued.previous : undefined;
  return (
    <div className="notice notice-info token-box" role="status" aria-live="polite" tabIndex={-1} ref={box} aria-labelledby="new-token-title">
      <p className="notice-title" id="new-token-title">
        {previous === undefined ? `Token "${issued.name}" generated` : `New token for "${issued.name}" generated`}
      </p>
      <CopyField label="Bearer token" value={issued.token} secret />
      <p className="warning-text">
        <strong>Copy this token now: it will not be shown again.</strong> Store it securely and paste it into your identity provider.
      </p>
      {previous === undefined ? null : (
        <p className="rotation-note">
          The old token still works{' '}
          {previous.expiresAt === null ? (
            'until you revoke it'
          ) : (
            <>
              until <When at={previous.expiresAt} />
            </>
          )}
          . Once your identity provider uses the new token, revoke the old one (it is the older "{previous.name}" in the list below).
        </p>
      )}
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}
