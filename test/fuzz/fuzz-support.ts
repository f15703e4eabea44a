// Shared pieces of the fuzz suites: run settings, the SCIM error check every response must
// pass, and a client that sends raw requests through app.inject.
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Parameters as FcParameters } from 'fast-check';

/**
 * `npm test` runs each property a few dozen times (the whole suite must stay fast);
 * `npm run fuzz -- --runs N --seed S` sets ROSTER_FUZZ_RUNS and ROSTER_FUZZ_SEED for a long
 * run or to replay a failure (fast-check prints the seed and the shrunk counterexample).
 */
export function fuzzParameters(ciRuns: number): FcParameters<unknown> {
  const runs = Number(process.env.ROSTER_FUZZ_RUNS ?? ciRuns);
  const seed = process.env.ROSTER_FUZZ_SEED;
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : ciRuns,
    ...(seed === undefined || seed === '' ? {} : { seed: Number(seed) }),
    // A long run reports every failure's shrunk case, not only the first.
    endOnFailure: true,
  };
}

/** Whether the fuzz runs are the long ones (then per-test timeouts are lifted). */
export const LONG_RUN = process.env.ROSTER_FUZZ_RUNS !== undefined;

/** A response as the properties look at it. */
export interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly text: string;
}

export async function send(app: FastifyInstance, options: InjectOptions): Promise<RawReply> {
  const response = await app.inject(options);
  return { status: response.statusCode, headers: response.headers, text: response.body };
}

const SCIM_TYPES = new Set([
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
  'invalidCursor',
  'expiredCursor',
  'invalidCount',
]);

/**
 * The properties every SCIM answer has, whatever was sent: never a 5xx other than 501 (a
 * feature Roster does not offer), and every error a valid SCIM error body (RFC 7644 §3.12)
 * with the SCIM media type and no stack trace. `label` names the request in failures.
 */
export function assertScimAnswer(reply: RawReply, label: string): void {
  assert.ok(reply.status < 500 || reply.status === 501, `${label} → ${reply.status}: ${reply.text.slice(0, 500)}`);
  if (reply.status < 400) return;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(reply.text) as Record<string, unknown>;
  } catch {
    assert.fail(`${label} → ${reply.status} with a body that is not JSON: ${reply.text.slice(0, 200)}`);
  }
  assert.deepEqual(body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error'], `${label}: ${reply.text.slice(0, 300)}`);
  assert.equal(body.status, String(reply.status), `${label}: status as a string`);
  assert.equal(typeof body.detail, 'string', `${label}: detail`);
  if (body.scimType !== undefined) assert.ok(typeof body.scimType === 'string' && SCIM_TYPES.has(body.scimType), `${label}: scimType ${JSON.stringify(body.scimType)}`);
  assert.match(String(reply.headers['content-type']), /^application\/scim\+json/, `${label}: media type`);
  assert.doesNotMatch(reply.text, /\bat .+\.(ts|js):\d+|node_modules|\/src\//, `${label}: internals in the body`);
}
