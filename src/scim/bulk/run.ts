import { ConflictError, ScimError, type ScimType } from '../errors.js';
import type { JsonObject } from '../json.js';
import { planBulk, type BulkStep } from './plan.js';
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
  /**
   * Runs `work` with the operations it executes committed together, each undone alone when it
   * fails (as if it had run by itself). Throws when the group fails as a whole; nothing of it
   * is committed then.
   */
  group<T>(work: () => Promise<T>): Promise<T>;
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

/**
 * How many operations commit together. Fewer commits and provisioning-log writes make a
 * large request several times cheaper; the caps keep one group from holding the tenant's
 * event sequence (PostgreSQL) or the database's writer (SQLite) for long.
 */
export interface BulkBatching {
  readonly maxOperations: number;
  /** A group takes no further operation once it has run this long. */
  readonly maxMs: number;
}

const DEFAULT_BATCHING: BulkBatching = { maxOperations: 100, maxMs: 100 };

/** What a run has done so far, kept to start a failed group again. */
interface RunState {
  readonly ids: Map<string, string>;
  readonly results: Map<number, BulkResult>;
  readonly pending: Map<number, DeferredValues[]>;
  readonly errors: number;
}

/** Runs one BulkRequest; see runBulk. */
class BulkRun {
  private ids = new Map<string, string>();
  private results = new Map<number, BulkResult>();
  private pending = new Map<number, DeferredValues[]>();
  private errors = 0;

  constructor(
    private readonly request: BulkRequest,
    private readonly executor: BulkExecutor,
    private readonly batching: BulkBatching,
  ) {}

  private saved(): RunState {
    return { ids: new Map(this.ids), results: new Map(this.results), pending: new Map(this.pending), errors: this.errors };
  }

  private restore(state: RunState): void {
    ({ ids: this.ids, results: this.results, pending: this.pending, errors: this.errors } = state);
  }

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

  /** RFC 7644 §3.7: with failOnErrors, processing stops once that many operations have failed. */
  private stopped(): boolean {
    const { failOnErrors } = this.request;
    return failOnErrors !== undefined && this.errors >= failOnErrors;
  }

  private async step(step: BulkStep): Promise<void> {
    const operation = this.request.operations[step.index];
    if (operation === undefined) return;
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

  /**
   * Runs steps from `start` in one group, up to the batching caps; returns where it stopped.
   * When the group fails as a whole, nothing of it was committed: its steps run again, each
   * in a transaction of its own, from the state before the group.
   */
  private async group(steps: readonly BulkStep[], start: number): Promise<number> {
    const before = this.saved();
    let reached = start;
    try {
      await this.executor.group(async () => {
        const began = Date.now();
        while (reached < steps.length && reached - start < this.batching.maxOperations && !this.stopped()) {
          if (reached > start && Date.now() - began >= this.batching.maxMs) break;
          await this.step(steps[reached] as BulkStep);
          reached += 1;
        }
      });
      return reached;
    } catch {
      this.restore(before);
      // At least one step, so that a group that cannot even begin still makes progress.
      const end = Math.max(reached, start + 1);
      let index = start;
      for (; index < end && !this.stopped(); index += 1) await this.step(steps[index] as BulkStep);
      return index;
    }
  }

  async all(): Promise<BulkResult[]> {
    const steps = planBulk(this.request.operations);
    let next = 0;
    while (next < steps.length && !this.stopped()) next = await this.group(steps, next);
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
 * Operations commit in groups (`batching`), each undone alone when it fails.
 */
export function runBulk(request: BulkRequest, executor: BulkExecutor, batching: BulkBatching = DEFAULT_BATCHING): Promise<BulkResult[]> {
  return new BulkRun(request, executor, batching).all();
}
