import { AsyncResource } from 'node:async_hooks';

/** How long a shared transaction takes in more transactions, and how many at most. */
const SHARED_MS = 20;
const SHARED_MEMBERS = 32;

/** Runs `work` in the shared transaction `group` (in its own savepoint); rejects if `work` throws. */
type RunMember<G, S> = <T>(group: G, work: (session: S) => Promise<T>) => Promise<T>;

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

interface Member<G> {
  /** Runs the member's work in `group`, in the context the member was queued from. */
  readonly run: (group: G) => Promise<void>;
  /** Settles the member's promise once its transaction has committed or failed. */
  readonly settle: (error: unknown) => void;
}

interface Batch<G> {
  readonly queued: Member<G>[];
  accepting: boolean;
}

/**
 * Transactions that share one commit, on an engine with one connection (SQLite), where
 * writes run one at a time anyway. Before committing, a transaction waits one turn of the
 * event loop; the writes of requests that arrived meanwhile join it, one after another, each
 * in a savepoint of its own, and all commit together: one commit writes the pages they share
 * once (a create's WAL frames are most of its commit's cost). A caller hears of its
 * transaction only after the shared commit, or at once if its work threw and its savepoint
 * was undone. A shared transaction takes in others for at most SHARED_MS and SHARED_MEMBERS,
 * which bounds how long reads queued behind it wait.
 */
export class SharedCommits<G, S> {
  private open: Batch<G> | undefined;

  constructor(
    /** Runs `body` in a new database transaction and commits it; `body` gets the transaction's group. */
    private readonly transaction: (body: (group: G) => Promise<void>) => Promise<void>,
    private readonly runMember: RunMember<G, S>,
    /** False once the transaction cannot take more work (it will fail at its end). */
    private readonly usable: (group: G) => boolean,
  ) {}

  async run<T>(work: (session: S) => Promise<T>): Promise<T> {
    let answer: (outcome: Outcome<T>) => void = () => undefined;
    const answered = new Promise<Outcome<T>>((resolve) => {
      answer = resolve;
    });
    let value: Outcome<T> | undefined;
    const member: Member<G> = {
      // Bound to the caller's async context: the request's scope (its log entry, its
      // deadline) must be the one its work sees, not that of the transaction it joins.
      run: AsyncResource.bind(async (group: G): Promise<void> => {
        try {
          value = { ok: true, value: await this.runMember(group, work) };
        } catch (error) {
          // Undone already: its caller hears at once (a later answer is ignored).
          answer({ ok: false, error });
        }
      }),
      settle: (error) => answer(error === undefined ? (value ?? { ok: false, error: new Error('transaction did not run') }) : { ok: false, error }),
    };
    if (this.open !== undefined && this.open.accepting) this.open.queued.push(member);
    else this.start([member]);
    const outcome = await answered;
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Begins a shared transaction for `members` (one new write, or those a full one left). */
  private start(members: Member<G>[]): void {
    const batch: Batch<G> = { queued: members, accepting: true };
    this.open = batch;
    const ran: Member<G>[] = [];
    const close = (): void => {
      batch.accepting = false;
      if (this.open === batch) this.open = undefined;
    };
    /** Members that never ran (the transaction was full or could take no more) go to the next one. */
    const passOn = (): void => {
      const rest = batch.queued.splice(0);
      if (rest.length > 0) this.start(rest);
    };
    void this.transaction(async (group) => {
      // The caps count from here: writes queued while another transaction held the
      // connection are taken in up to SHARED_MEMBERS, the rest begin the next transaction.
      const openedMs = performance.now();
      for (;;) {
        for (let member = batch.queued.shift(); member !== undefined; member = batch.queued.shift()) {
          if (!this.usable(group) || ran.length >= SHARED_MEMBERS || performance.now() - openedMs >= SHARED_MS) {
            batch.queued.unshift(member);
            close();
            return;
          }
          ran.push(member);
          await member.run(group);
        }
        if (!batch.accepting) break;
        // A transaction runs to its end without yielding to I/O, so the writes of requests
        // that arrived with this one reach the store only after it: wait for them (once
        // past the I/O callbacks of this turn of the event loop) before committing.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (batch.queued.length === 0) break;
      }
      // Nothing more waits: later writes begin the next transaction.
      close();
    }).then(
      () => {
        for (const member of ran) member.settle(undefined);
        passOn();
      },
      (error: unknown) => {
        close();
        const failure = error ?? new Error('shared transaction failed');
        for (const member of ran) member.settle(failure);
        // Nothing of theirs was written: they run in a transaction of their own, unless
        // this one failed before any ran (it could not begin): then so would theirs.
        if (ran.length > 0) passOn();
        else for (const member of batch.queued.splice(0)) member.settle(failure);
      },
    );
  }
}
