import pg from 'pg';

/** What the samples of one scenario saw. */
export interface LockWaits {
  readonly samples: number;
  /** Samples in which some lock request of the benchmark database was waiting. */
  readonly samplesWithWaits: number;
  /** The most lock requests waiting at once, and backends waiting on a lock at once. */
  readonly maxWaitingLocks: number;
  readonly maxWaitingBackends: number;
}

// One statement: the lock requests not granted to this database's backends (by backend: a
// wait for another transaction's row is a `transactionid` lock, which names no database),
// and its backends waiting on a lock.
const SAMPLE = `select
  (select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid where not l.granted and a.datname = current_database())::int as waiting_locks,
  (select count(*) from pg_stat_activity a where a.datname = current_database() and a.wait_event_type = 'Lock')::int as waiting_backends`;

/**
 * Samples `pg_locks` and `pg_stat_activity` of the benchmark's database from a connection of
 * its own while a scenario runs (every `intervalMs`), so that the report can show whether
 * requests queued on each other's row locks: reads should never, whatever the processes.
 */
export class LockSampler {
  private samples = 0;
  private samplesWithWaits = 0;
  private maxWaitingLocks = 0;
  private maxWaitingBackends = 0;
  private running = true;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly client: pg.Client,
    intervalMs: number,
  ) {
    this.loop = this.run(intervalMs);
  }

  static async start(databaseUrl: string, intervalMs = 200): Promise<LockSampler> {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    return new LockSampler(client, intervalMs);
  }

  private async run(intervalMs: number): Promise<void> {
    while (this.running) {
      const { rows } = await this.client.query<{ waiting_locks: number; waiting_backends: number }>(SAMPLE);
      const row = rows[0];
      if (row !== undefined) {
        this.samples += 1;
        if (row.waiting_locks > 0 || row.waiting_backends > 0) this.samplesWithWaits += 1;
        this.maxWaitingLocks = Math.max(this.maxWaitingLocks, row.waiting_locks);
        this.maxWaitingBackends = Math.max(this.maxWaitingBackends, row.waiting_backends);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  async stop(): Promise<LockWaits> {
    this.running = false;
    try {
      await this.loop;
    } finally {
      await this.client.end();
    }
    return { samples: this.samples, samplesWithWaits: this.samplesWithWaits, maxWaitingLocks: this.maxWaitingLocks, maxWaitingBackends: this.maxWaitingBackends };
  }
}
