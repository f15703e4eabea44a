import { useId, useState, type ReactNode } from 'react';

/**
 * A marker with a tooltip that shows on hover and on keyboard focus, and is read by screen
 * readers. Escape hides it (WCAG 1.4.13), and it stays while the pointer is over it.
 */
export function Tooltip({ label, tip }: { label: ReactNode; tip: string }) {
  const id = useId();
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const shown = (hovered || focused) && !dismissed;
  return (
    <span
      className="tooltip"
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => {
        setHovered(false);
        setDismissed(false);
      }}
    >
      <span
        className="tooltip-anchor"
        tabIndex={0}
        aria-describedby={id}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false);
          setDismissed(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && shown) {
            event.stopPropagation();
            setDismissed(true);
          }
        }}
      >
        {label}
      </span>
      <span role="tooltip" id={id} className={shown ? 'tooltip-text shown' : 'tooltip-text'}>
        {tip}
      </span>
    </span>
  );
}
