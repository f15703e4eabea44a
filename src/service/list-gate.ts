import { deadlineError } from './list.js';

interface Waiter {
  readonly start: () => void;
  readonly timer: NodeJS.Timeout;
}

interface TenantLane {
  running: number;
  readonly waiting: Waiter[];
}

/**
 * Lets each tenant run at most `concurrency` expensive lists at once in this process; the
 * rest wait, first come first served, behind that tenant's own lists and no one else's. A
 * list that cannot start before its deadline fails with the same 503 as one stopped there.
 */
export class TenantListGate {
  private readonly lanes = new Map<string, TenantLane>();

  constructor(private readonly concurrency: number) {}

  async run<T>(tenantId: string, deadline: number, work: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(tenantId) ?? { running: 0, waiting: [] };
    this.lanes.set(tenantId, lane);
    if (lane.running >= this.concurrency) await this.wait(tenantId, lane, deadline);
    else lane.running += 1;
    try {
      return await work();
    } finally {
      this.release(tenantId, lane);
    }
  }

  private wait(tenantId: string, lane: TenantLane, deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        // The slot passes straight from the list that ends to this one (release).
        start: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          lane.waiting.splice(lane.waiting.indexOf(waiter), 1);
          if (lane.running === 0 && lane.waiting.length === 0) this.lanes.delete(tenantId);
          reject(deadlineError());
        }, Math.max(0, deadline - Date.now())),
      };
      lane.waiting.push(waiter);
    });
  }

  private release(tenantId: string, lane: TenantLane): void {
    const next = lane.waiting.shift();
    if (next !== undefined) {
      next.start();
      return;
    }
    lane.running -= 1;
    if (lane.running === 0) this.lanes.delete(tenantId);
  }
}
