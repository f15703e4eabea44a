import { ConflictError, ScimError, type ScimType } from '../errors.js';
import type { JsonObject } from '../json.js';
import { planBulk } from './plan.js';
import { deferredPatch, resolveReferences, splitDeferred, type DeferredValues } from './references.js';
import type { BulkMethod, BulkOperation, BulkRequest } from './types.js';

/** One operation with its bulkId references resolved, as the executor runs it. */
export interface ExecutableOperation {
  readonly method: BulkMethod;
  readonly endpoint: string;
  /** The resource id; undefined for POST. */
  readonly id: string | undefined;
  readonly data: JsonObject | undefined;
  /** The operation's `version`, checked like an If-Match header (RFC 7644 §3.14). */
  readonly ifMatch: string | undefined;
}

/** What a successful operation answers: the status it would have had alone, and the resource. */
export interface Written {
  readonly status: number;
  readonly id: string;
  /** The ETag of the written resource; undefined after DELETE. */
  readonly version: string | undefined;
}

/** How bulk operations reach the resources: the same services as the single-resource routes. */
export interface BulkExecutor {
  /** Runs one operation in its own transaction; failures throw ScimErrors. */
  execute(operation: ExecutableOperation): Promise<Written>;
  location(endpoint: string, id: string): string;
  /** Records an unexpected (non-SCIM) failure and returns the error to answer for it. */
  unexpected(error: unknown): ScimError;
}

/** The outcome of one processed operation (RFC 7644 §3.7: one BulkResponse entry). */
export interface BulkResult {
  readonly index: number;
  readonly method: string | undefined;
  readonly bulkId: string | undefined;
  readonly location: string | undefined;
  readonly version: string | undefined;
  readonly status: number;
  /** Present when the operation failed; its body is the operation's `response`. */
  readonly error: ScimError | undefined;
}

/** A failure after the resource was created: the create itself succeeded, the deferred elements did not. */
class IncompleteCreateError extends ScimError {
  readonly status: number;
  override readonly scimType: ScimType | undefined;
  constructor(cause: ScimError, held: string) {
    super(`The resource was created, but adding the elements held back for circular references (${held}) failed: ${cause.detail}`);
    this.status = cause.status;
    this.scimType = cause.scimType;
  }
}

/** Runs one BulkRequest; see runBulk. */
class BulkRun {
  private readonly ids = new Map<string, string>();
  private readonly results = new Map<number, BulkResult>();
  private readonly pending = new Map<number, DeferredValues[]>();
  private errors = 0;

  constructor(
    private readonly request: BulkRequest,
    private readonly executor: BulkExecutor,
  ) {}

  /** The id a bulkId stands for; 409 when its POST failed (RFC 7644 §3.7.2 can then not be honoured). */
  private idOf(index: number, bulkId: string): string {
    const id = this.ids.get(bulkId);
    if (id !== undefined) return id;
    const post = this.request.operations.find((operation) => operation.bulkId === bulkId);
    throw new ConflictError(`Operations[${index}]: "bulkId:${bulkId}" refers to Operations[${post?.index ?? '?'}], whose POST failed.`);
  }

  private record(result: BulkResult): void {
    this.results.set(result.index, result);
    if (result.error !== undefined) this.errors++;
  }

  private asScimError(error: unknown): ScimError {
    return error instanceof ScimError ? error : this.executor.unexpected(error);
  }

  private async run(operation: BulkOperation, deferred: ReadonlySet<string>): Promise<void> {
    const { index, method, bulkId, endpoint, target } = operation;
    let location: string | undefined;
    try {
      const id = target === undefined ? undefined : target.kind === 'id' ? target.id : this.idOf(index, target.bulkId);
      location = id === undefined ? undefined : this.executor.location(endpoint, id);
      let data = operation.data;
      if (data !== undefined && deferred.size > 0) {
        const split = splitDeferred(data, deferred);
        this.pending.set(index, split.deferred);
        data = split.data;
      }
      const resolved = data === undefined ? undefined : (resolveReferences(data, (name) => this.idOf(index, name)) as JsonObject);
      // A POST has no current version to compare: `version` means something only for a resource.
      const ifMatch = method === 'POST' ? undefined : operation.version;
      const written = await this.executor.execute({ method, endpoint, id, data: resolved, ifMatch });
      if (method === 'POST' && bulkId !== undefined) this.ids.set(bulkId, written.id);
      location = this.executor.location(endpoint, written.id);
      this.record({ index, method, bulkId, location, version: written.version, status: written.status, error: undefined });
    } catch (caught) {
      const error = this.asScimError(caught);
      // RFC 7644 §3.7: a failed POST has no location; other operations keep the resource's.
      this.record({ index, method, bulkId, location: method === 'POST' ? undefined : location, version: undefined, status: error.status, error });
    }
  }

  /** Adds the elements a create held back, now that the resources they reference exist. */
  private async complete(operation: BulkOperation): Promise<void> {
    const created = this.results.get(operation.index);
    const deferred = this.pending.get(operation.index);
    this.pending.delete(operation.index);
    const id = operation.bulkId === undefined ? undefined : this.ids.get(operation.bulkId);
    if (created === undefined || created.error !== undefined || deferred === undefined || id === undefined) return;
    try {
      const patch = resolveReferences(deferredPatch(deferred), (name) => this.idOf(operation.index, name)) as JsonObject;
      const written = await this.executor.execute({ method: 'PATCH', endpoint: operation.endpoint, id, data: patch, ifMatch: undefined });
      this.results.set(operation.index, { ...created, version: written.version });
    } catch (caught) {
      const error = new IncompleteCreateError(this.asScimError(caught), referenced(deferred));
      this.record({ ...created, status: error.status, error });
    }
  }

  async all(): Promise<BulkResult[]> {
    const { operations, failOnErrors } = this.request;
    for (const step of planBulk(operations)) {
      // RFC 7644 §3.7: with failOnErrors, stop once that many operations have failed.
      if (failOnErrors !== undefined && this.errors >= failOnErrors) break;
      const operation = operations[step.index];
      if (operation === undefined) continue;
      switch (step.kind) {
        case 'fail':
          this.record({ index: step.index, method: operation.method, bulkId: operation.bulkId, location: undefined, version: undefined, status: step.error.status, error: step.error });
          break;
        case 'run':
          if (operation.kind === 'valid') await this.run(operation, step.deferred);
          break;
        case 'complete':
          if (operation.kind === 'valid') await this.complete(operation);
          break;
      }
    }
    this.reportUnfinished();
    return [...this.results.values()].sort((a, b) => a.index - b.index);
  }

  /** Creates whose deferred elements were never added because processing stopped early. */
  private reportUnfinished(): void {
    for (const [index, deferred] of this.pending) {
      const created = this.results.get(index);
      if (created === undefined || created.error !== undefined) continue;
      const error = new ConflictError(`The resource was created without the elements held back for circular references (${referenced(deferred)}): processing stopped at failOnErrors before they were added.`);
      this.results.set(index, { ...created, status: error.status, error });
    }
  }
}

/** The attributes and counts of held-back elements, for error details. */
function referenced(deferred: readonly DeferredValues[]): string {
  return deferred.map((values) => `${values.path} (${values.elements.length})`).join(', ');
}

/**
 * Runs a BulkRequest (RFC 7644 §3.7) in the order planBulk gives. Each operation is its own
 * unit of work: a failure becomes that operation's result and never stops the others, unless
 * `failOnErrors` is reached. Results come in request order, one per processed operation.
 */
export function runBulk(request: BulkRequest, executor: BulkExecutor): Promise<BulkResult[]> {
  return new BulkRun(request, executor).all();
}
