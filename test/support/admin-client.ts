import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { API_ERROR_CODES } from '../../src/service/errors.js';
import type { Json, TestServer } from './scim-client.js';

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string | string[] | number | undefined>;
}

/** A management API request with the client's operator key, or `key` instead ('' for none). */
export type AdminApi = (method: InjectOptions['method'], path: string, body?: unknown, key?: string) => Promise<ApiResponse>;

/** A management API client for a test server, with a fresh operator key. */
export async function adminClient(server: TestServer): Promise<AdminApi> {
  const { secret } = await server.services.operatorKeys.create('tests');
  return async (method, path, body, key = secret) => {
    const response = await server.app.inject({
      method,
      url: `/api/v1${path}`,
      headers: { ...(key === '' ? {} : { authorization: `Bearer ${key}` }) },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    return { status: response.statusCode, body: response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>), headers: response.headers };
  };
}

/** Asserts a management API error: the code's status, the code, and a message. */
export function assertApiError(response: ApiResponse, code: keyof typeof API_ERROR_CODES): void {
  assert.equal(response.status, API_ERROR_CODES[code].status, JSON.stringify(response.body));
  assert.equal((response.body.error as { code: string }).code, code, JSON.stringify(response.body));
  assert.equal(typeof (response.body.error as { message: string }).message, 'string');
}

/** Every page of a cursor-paged list, following `next`; also returns the first page's `seq`. */
export async function allPages(get: (method: 'GET', path: string) => Promise<ApiResponse>, path: string, field: string): Promise<{ items: Json[]; seq: number }> {
  const items: Json[] = [];
  let seq = -1;
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const response = await get('GET', `${path}${cursor === null ? '' : `${separator}after=${encodeURIComponent(cursor)}`}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    if (seq === -1) seq = Number(response.body.seq);
    items.push(...(response.body[field] as Json[]));
    cursor = response.body.next as string | null;
  } while (cursor !== null);
  return { items, seq };
}
