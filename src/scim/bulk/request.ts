import { URN } from '../../schema/urns.js';
import { InvalidSyntaxError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError, ScimError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { BulkMethod, BulkRequest, ReadOperation, ResourceRef } from './types.js';

/** What a BulkRequest is read against. */
export interface ReadBulkOptions {
  readonly maxOperations: number;
  /** The resource type endpoints an operation's path may name, e.g. `/Users`. */
  readonly endpoints: readonly string[];
}

const METHODS: readonly BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const BULK_ID_PREFIX = 'bulkId:';

/** Member lookup ignoring case: SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
function member(object: JsonObject, name: string): JsonValue | undefined {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function label(index: number): string {
  return `Operations[${index}]`;
}

function readMethod(raw: JsonValue | undefined, at: string): BulkMethod {
  if (typeof raw !== 'string' || raw.trim() === '') throw new InvalidSyntaxError(`${at}: "method" is required (POST, PUT, PATCH or DELETE).`);
  const method = METHODS.find((candidate) => candidate === raw.trim().toUpperCase());
  if (method === undefined) throw new MethodNotAllowedError(`${at}: ${raw} is not supported in a bulk request; use POST, PUT, PATCH or DELETE.`);
  return method;
}

/** A percent-decoded path segment, or null when its escapes are malformed. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Reads `/Users`, `/Users/{id}` and `/Users/bulkId:{bulkId}` (RFC 7644 §3.7, §3.7.2). */
function readPath(raw: JsonValue | undefined, method: BulkMethod, endpoints: readonly string[], at: string): { endpoint: string; target: ResourceRef | undefined } {
  if (typeof raw !== 'string' || raw.trim() === '') throw new InvalidSyntaxError(`${at}: "path" is required, e.g. "/Users" or "/Users/{id}".`);
  const path = raw.trim();
  // A bulk path names a resource or an endpoint; queries (attributes=…) have no meaning here.
  if (/[?#]/.test(path)) throw new InvalidSyntaxError(`${at}: "path" must not carry a query string.`);
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  const endpoint = `/${segments[0] ?? ''}`;
  const id = segments[1] === undefined ? undefined : decodeSegment(segments[1]);
  if (!endpoints.includes(endpoint) || segments.length > 2 || id === null || id === '') {
    throw new NotFoundError(`${at}: no SCIM resource at "${path}"; bulk operations act on ${endpoints.map((name) => `${name} and ${name}/{id}`).join(', ')}.`);
  }
  const target: ResourceRef | undefined =
    id === undefined ? undefined : id.startsWith(BULK_ID_PREFIX) ? { kind: 'bulkId', bulkId: id.slice(BULK_ID_PREFIX.length) } : { kind: 'id', id };
  // Same answers as the single-resource routes: POST only on the endpoint, the rest only on a resource.
  if (method === 'POST' && target !== undefined) throw new MethodNotAllowedError(`${at}: POST creates a resource at its endpoint ("${endpoint}"), not at a resource path.`);
  if (method !== 'POST' && target === undefined) throw new MethodNotAllowedError(`${at}: ${method} needs a resource path such as "${endpoint}/{id}".`);
  return { endpoint, target };
}

function optionalString(raw: JsonValue | undefined, name: string, at: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || raw === '') throw new InvalidSyntaxError(`${at}: "${name}" must be a non-empty string.`);
  return raw;
}

function readOperation(raw: JsonObject, index: number, endpoints: readonly string[]): ReadOperation {
  const at = label(index);
  const rawMethod = member(raw, 'method');
  const rawBulkId = member(raw, 'bulkId');
  const isPost = typeof rawMethod === 'string' && rawMethod.trim().toUpperCase() === 'POST';
  const invalid = (error: ScimError): ReadOperation => ({
    kind: 'invalid',
    index,
    method: typeof rawMethod === 'string' ? rawMethod : undefined,
    bulkId: typeof rawBulkId === 'string' && rawBulkId !== '' ? rawBulkId : undefined,
    isPost,
    error,
  });
  try {
    const method = readMethod(rawMethod, at);
    const { endpoint, target } = readPath(member(raw, 'path'), method, endpoints, at);
    const bulkId = optionalString(rawBulkId, 'bulkId', at);
    // RFC 7644 §3.7: bulkId is REQUIRED for POST, so the client can find the new resource in the response.
    if (method === 'POST' && bulkId === undefined) throw new InvalidSyntaxError(`${at}: a POST operation needs a "bulkId".`);
    const version = optionalString(member(raw, 'version'), 'version', at);
    const rawData = member(raw, 'data');
    let data: JsonObject | undefined;
    if (method !== 'DELETE') {
      if (!isJsonObject(rawData)) throw new InvalidSyntaxError(`${at}: ${method} needs "data", a JSON object with the request body.`);
      data = rawData;
    }
    return { kind: 'valid', index, method, bulkId, version, endpoint, target, data };
  } catch (error) {
    if (error instanceof ScimError) return invalid(error);
    throw error;
  }
}

function readFailOnErrors(raw: JsonValue | undefined): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) throw new InvalidSyntaxError('"failOnErrors" must be a positive integer.');
  return raw;
}

/** bulkIds name resources across the request, so each may be used once (RFC 7644 §3.7). */
function checkUniqueBulkIds(operations: readonly ReadOperation[]): void {
  const seen = new Map<string, number>();
  for (const operation of operations) {
    if (operation.bulkId === undefined) continue;
    const first = seen.get(operation.bulkId);
    if (first !== undefined) {
      throw new InvalidSyntaxError(`bulkId "${operation.bulkId}" is used by ${label(first)} and ${label(operation.index)}; bulkIds must be unique within a request.`);
    }
    seen.set(operation.bulkId, operation.index);
  }
}

/**
 * Reads a BulkRequest message (RFC 7644 §3.7). A malformed envelope is a 400 invalidSyntax
 * for the whole request, more operations than `maxOperations` a 413 naming the limit
 * (§3.7.4); a malformed operation becomes an InvalidOperation that fails on its own.
 */
export function readBulkRequest(body: unknown, options: ReadBulkOptions): BulkRequest {
  if (!isJsonObject(body)) throw new InvalidSyntaxError('The bulk request body must be a JSON object.');
  const schemas = member(body, 'schemas');
  const bulkRequest = URN.bulkRequest.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === bulkRequest)) {
    throw new InvalidSyntaxError(`The bulk request must have "schemas": ["${URN.bulkRequest}"].`);
  }
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) throw new InvalidSyntaxError('The bulk request must have a non-empty "Operations" array.');
  if (operations.length > options.maxOperations) {
    throw new PayloadTooLargeError(`The bulk request has ${operations.length} operations, more than maxOperations (${options.maxOperations}).`);
  }
  const failOnErrors = readFailOnErrors(member(body, 'failOnErrors'));
  const read = operations.map((raw, index) => {
    if (!isJsonObject(raw)) throw new InvalidSyntaxError(`${label(index)} must be a JSON object.`);
    return readOperation(raw, index, options.endpoints);
  });
  checkUniqueBulkIds(read);
  return { failOnErrors, operations: read };
}
