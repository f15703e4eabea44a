import { useEffect } from 'react';

/** Sets the browser tab's title while a page is shown: "<page> · Roster" (WCAG 2.4.2). */
export function usePageTitle(...parts: readonly string[]): void {
  const title = [...parts.filter((part) => part !== ''), 'Roster'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
