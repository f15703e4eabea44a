import type { ReactNode } from 'react';

/** The top bar: the product, what is open, and sign-out. */
export function Header({ children, onSignOut, who }: { children?: ReactNode; onSignOut: () => void; who: string }) {
  return (
    <header className="topbar">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="brand">
        <span className="logo" aria-hidden="true">R</span>
        <span>Roster</span>
      </div>
      <div className="topbar-context">{children}</div>
      <div className="topbar-user">
        <span className="muted small">{who}</span>
        <button type="button" className="link-button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
