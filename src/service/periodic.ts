/** Work that runs in the background at an interval until stopped. */
export interface PeriodicTask {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs`, the first time one interval after the start, never twice at
 * once: a tick that finds the previous run still going is skipped, so a slow run does not
 * pile later ones up behind it. Failures go to `onError`. The timer keeps no process alive.
 */
export function runPeriodically(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void = () => undefined): PeriodicTask {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = task()
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
