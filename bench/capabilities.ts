import { HttpConnection, type HttpRequest, type HttpResponse } from './http-connection.js';

/** What the running Roster advertises (ServiceProviderConfig) and whether /Bulk answers. */
export interface Capabilities {
  readonly cursor: boolean;
  readonly bulkMaxOperations: number;
  readonly bulkMaxPayload: number;
  /** Why /Bulk cannot be measured, or undefined when it can. */
  readonly bulkUnavailable: string | undefined;
}

/** Sends one request on a fresh connection. */
export async function requestOnce(port: number, headers: string, request: HttpRequest): Promise<HttpResponse> {
  const connection = await HttpConnection.open('127.0.0.1', port, headers);
  try {
    return await connection.send(request, true);
  } finally {
    connection.close();
  }
}

function objectAt(value: unknown, key: string): Record<string, unknown> {
  const inner = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : {};
}

/**
 * Reads ServiceProviderConfig (`pagination.cursor`, `bulk`) and probes /Bulk with one
 * harmless operation: 404, 405 and 501 mean "not there yet".
 */
export async function readCapabilities(port: number, headers: string, base: string, someUserId: string): Promise<Capabilities> {
  const config = await requestOnce(port, headers, { method: 'GET', path: `${base}/ServiceProviderConfig` });
  if (config.status !== 200 || config.body === undefined) throw new Error(`ServiceProviderConfig answered ${config.status}: ${config.body ?? ''}`);
  const document: unknown = JSON.parse(config.body);
  const bulk = objectAt(document, 'bulk');
  const pagination = objectAt(document, 'pagination');
  const probeBody = {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: [{ method: 'PATCH', path: `/Users/${someUserId}`, data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Probe' }] } }],
  };
  const probe = await requestOnce(port, headers, { method: 'POST', path: `${base}/Bulk`, body: JSON.stringify(probeBody) });
  const absent = [404, 405, 501].includes(probe.status);
  return {
    cursor: pagination.cursor === true,
    bulkMaxOperations: typeof bulk.maxOperations === 'number' ? bulk.maxOperations : 0,
    bulkMaxPayload: typeof bulk.maxPayloadSize === 'number' ? bulk.maxPayloadSize : 0,
    bulkUnavailable: absent ? `POST /Bulk answers ${probe.status} (bulk.supported = ${String(bulk.supported)})` : undefined,
  };
}
