/** The management API as the console calls it: same origin, the session cookie, JSON. */

const API = '/api/v1';

/** A failed call, with the API's stable error code (docs/api-errors.md). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => undefined;

/** Remembers the session's CSRF token: every state change sends it. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** What to do when the session ends under us (a 401 on a call): show the sign-in page. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

function errorOf(status: number, body: unknown): ApiFailure {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error: { code?: unknown; message?: unknown } }).error;
    return new ApiFailure(status, typeof error.code === 'string' ? error.code : 'UNKNOWN', typeof error.message === 'string' ? error.message : `HTTP ${status}`);
  }
  return new ApiFailure(status, 'UNKNOWN', `The server answered HTTP ${status}.`);
}

/**
 * Calls the API and returns its JSON (undefined for 204). Throws ApiFailure for an error
 * answer; a 401 also tells the app that the session is gone, unless `quiet401` is set (the
 * session probe at start-up expects one when nobody is signed in).
 */
export async function call<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, options: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`${API}${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? null : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    if (response.status === 401 && options.quiet401 !== true) onSignedOut();
    throw errorOf(response.status, parsed);
  }
  return parsed as T;
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
