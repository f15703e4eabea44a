import { useId, type ReactNode } from 'react';

/** A marker with a tooltip that shows on hover and on keyboard focus, and is read by screen readers. */
export function Tooltip({ label, tip }: { label: ReactNode; tip: string }) {
  const id = useId();
  return (
    <span className="tooltip">
      <span className="tooltip-anchor" tabIndex={0} aria-describedby={id}>
        {label}
      </span>
      <span role="tooltip" id={id} className="tooltip-text">
        {tip}
      </span>
    </span>
  );
}
