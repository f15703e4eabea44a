import { useEffect, useState } from 'react';
import { api, type MemberFilters } from '../../api/endpoints.js';
import type { DirectoryMember, Seats } from '../../api/types.js';

/** The pages of members read so far under one set of filters. */
export interface MemberPages {
  readonly state: 'loading' | 'ready' | 'failed';
  readonly error?: Error;
  readonly members: readonly DirectoryMember[];
  readonly seats?: Seats;
  /** The cursor of the page after the last one read; null when every member is shown. */
  readonly next: string | null;
  readonly loadingMore: boolean;
}

const LOADING: MemberPages = { state: 'loading', members: [], next: null, loadingMore: false };

function failure(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Members under `filters`, a page at a time: the first page when the filters change (or on
 * `reload`), the following ones on `loadMore`, appended. An answer for filters that have
 * changed since it was asked for is dropped.
 */
export function useMemberPages(tenantId: string, filters: MemberFilters) {
  const key = JSON.stringify(filters);
  const [generation, setGeneration] = useState(0);
  const [pages, setPages] = useState<MemberPages & { key: string }>({ ...LOADING, key });
  useEffect(() => {
    let current = true;
    setPages((before) => (before.key === key ? { ...before, loadingMore: false } : { ...LOADING, key }));
    api.members(tenantId, filters).then(
      (page) => current && setPages({ key, state: 'ready', members: page.members, seats: page.seats, next: page.next, loadingMore: false }),
      (error: unknown) => current && setPages({ ...LOADING, key, state: 'failed', error: failure(error) }),
    );
    return () => {
      current = false;
    };
    // `filters` is summed up by `key`.
  }, [tenantId, key, generation]);

  /** Reads the next page; resolves with the number of members added. */
  const loadMore = async (): Promise<number> => {
    if (pages.next === null || pages.loadingMore || pages.key !== key) return 0;
    const after = pages.next;
    setPages((before) => ({ ...before, loadingMore: true }));
    try {
      const page = await api.members(tenantId, filters, after);
      setPages((before) => (before.key === key && before.next === after ? { ...before, members: [...before.members, ...page.members], seats: page.seats, next: page.next, loadingMore: false } : before));
      return page.members.length;
    } catch (error) {
      setPages((before) => ({ ...before, loadingMore: false, state: 'failed', error: failure(error) }));
      return 0;
    }
  };

  /** Puts a member's new state in its row, and the seat use with it, without losing the pages read. */
  const replace = async (member: DirectoryMember): Promise<void> => {
    setPages((before) => ({ ...before, members: before.members.map((m) => (m.userId === member.userId ? member : m)) }));
    const { seats } = await api.seats(tenantId).catch(() => ({ seats: undefined }));
    if (seats !== undefined) setPages((before) => ({ ...before, seats }));
  };

  return { pages: pages.key === key ? pages : { ...LOADING }, loadMore, replace, reload: () => setGeneration((g) => g + 1) };
}
