import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Runs SQLite's WAL checkpoints on a worker thread with a connection of its own. A checkpoint
 * copies the WAL into the database file and fsyncs both; left to SQLite's automatic
 * checkpoint, that happened inside whichever commit crossed 1,000 pages, stalling the event
 * loop and every request behind it. The main connection asks the worker for one after every
 * `everyCommits` commits, and once per interval whatever happened, and keeps its own
 * automatic checkpoint only as a rare backstop (sqlite-store.ts). PASSIVE checkpoints never wait for
 * readers or writers, so the worker never blocks Roster.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 5000');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  let error = null;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (caught) {
    error = String(caught && caught.message ? caught.message : caught);
  }
  parentPort.postMessage({ error });
});
`;

export interface CheckpointerOptions {
  /** Commits between two checkpoint requests; default 200. */
  readonly everyCommits?: number;
  /** A checkpoint at least this often while commits happened; default 1,000 ms. */
  readonly intervalMs?: number;
}

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly everyCommits: number;
  private readonly timer: NodeJS.Timeout;
  private commitsSinceRequest = 0;
  private busy = false;
  private closed = false;
  /** Checkpoints the worker finished; failures are reported as warnings and retried later. */
  completed = 0;

  constructor(filename: string, options: CheckpointerOptions = {}) {
    this.everyCommits = options.everyCommits ?? 200;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { filename, driver } });
    this.worker.unref();
    this.worker.on('message', (result: { error: string | null }) => {
      this.busy = false;
      if (result.error === null) this.completed += 1;
      else process.emitWarning(`SQLite checkpoint failed: ${result.error}`, { code: 'ROSTER_SQLITE_CHECKPOINT' });
    });
    this.worker.on('error', (error) => process.emitWarning(`SQLite checkpoint worker stopped: ${error.message}`, { code: 'ROSTER_SQLITE_CHECKPOINT' }));
    // Unconditional: writes outside a transaction commit without a `commit` statement, and a
    // checkpoint with nothing to copy costs next to nothing.
    this.timer = setInterval(() => this.request(), options.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Counts a commit of the main connection. */
  committed(): void {
    this.commitsSinceRequest += 1;
    if (this.commitsSinceRequest >= this.everyCommits) this.request();
  }

  private request(): void {
    if (this.busy || this.closed) return;
    this.busy = true;
    this.commitsSinceRequest = 0;
    this.worker.postMessage('checkpoint');
  }

  /** Stops the worker (after a checkpoint in progress); the main connection's close checkpoints the rest. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // Unreferenced while it only serves the connection; waited for now.
    this.worker.ref();
    this.worker.postMessage('close');
    await exited;
  }
}
