import { useCallback, useEffect, useState } from 'react';

/** What a load has come to: still loading, its data, or the error it failed with. */
export type Loaded<T> = { readonly state: 'loading' } | { readonly state: 'ready'; readonly data: T } | { readonly state: 'failed'; readonly error: Error };

/**
 * Loads data for a page and loads it again on `reload()` (after a change) or when `key`
 * changes. A load that finishes after a newer one started is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): { loaded: Loaded<T>; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  // `load` is a fresh closure on every render; `key` says when it really changes.
  const stableLoad = useCallback(load, [key]);
  useEffect(() => {
    let current = true;
    void stableLoad().then(
      (data) => {
        if (current) setLoaded({ state: 'ready', data });
      },
      (error: unknown) => {
        if (current) setLoaded({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => {
      current = false;
    };
  }, [stableLoad, generation]);
  return { loaded, reload: () => setGeneration((g) => g + 1) };
}
