import type { InjectOptions } from 'fastify';
import type { TestServer } from './scim-client.js';

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string | string[] | number | undefined>;
}

/** A management API client for a test server, with a fresh operator key. */
export async function adminClient(server: TestServer): Promise<(method: InjectOptions['method'], path: string, body?: unknown, key?: string) => Promise<ApiResponse>> {
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
