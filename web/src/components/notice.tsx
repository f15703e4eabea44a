import type { ReactNode } from 'react';
import type { Loaded } from './use-load.js';

/** A message box: `info` (blue), `success`, `warning` or `error`; errors are announced at once. */
export function Notice({ kind, children, title }: { kind: 'info' | 'success' | 'warning' | 'error'; children: ReactNode; title?: string }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title === undefined ? null : <p className="notice-title">{title}</p>}
      {children}
    </div>
  );
}

/** Renders a load: a spinner line while loading, the error if it failed, else `children(data)`. */
export function Await<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.state === 'loading') return <p className="muted" aria-busy="true">Loading…</p>;
  if (loaded.state === 'failed') return <Notice kind="error" title="Could not load this">{loaded.error.message}</Notice>;
  return <>{children(loaded.data)}</>;
}

/** A date and time in the reader's locale, or a dash. */
export function When({ at }: { at: string | null | undefined }) {
  if (at === null || at === undefined) return <span className="muted">—</span>;
  return <time dateTime={at}>{new Date(at).toLocaleString()}</time>;
}
