import type { InjectOptions } from 'fastify';
import type { TestServer } from '../support/scim-client.js';

/** What a browser would hold after signing in to the console. */
export interface ConsoleLogin {
  /** The session cookie as `name=value`, for the Cookie header. */
  readonly cookie: string;
  readonly csrfToken: string;
  /** The Set-Cookie header of the sign-in response, for flag checks. */
  readonly setCookie: string;
}

/** A management API request as the console sends it: the cookie, and the CSRF token unless told not to. */
export async function consoleRequest(
  server: TestServer,
  login: Pick<ConsoleLogin, 'cookie' | 'csrfToken'>,
  method: InjectOptions['method'],
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await server.app.inject({
    method,
    url: `/api/v1${path}`,
    headers: { cookie: login.cookie, 'x-csrf-token': login.csrfToken, ...headers },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
  return { status: response.statusCode, body: response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>) };
}

/** Signs in with an operator key or a setup link's secret, as the console's sign-in page does. */
export async function signIn(server: TestServer, credential: { operatorKey: string } | { setupToken: string }): Promise<ConsoleLogin & { status: number }> {
  const response = await server.app.inject({ method: 'POST', url: '/api/v1/console/sessions', payload: credential });
  const raw = response.headers['set-cookie'];
  const setCookie = Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '');
  const body = response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>);
  return { status: response.statusCode, cookie: setCookie.split(';')[0] ?? '', csrfToken: typeof body.csrfToken === 'string' ? body.csrfToken : '', setCookie };
}

/** The secret in a setup link's URL (after `#token=`). */
export function secretOf(url: unknown): string {
  const match = /#token=(.+)$/.exec(String(url));
  if (match?.[1] === undefined) throw new Error(`not a setup link: ${String(url)}`);
  return match[1];
}
