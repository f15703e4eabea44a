// The background schedule of log retention and the deleted-tenant purge: a run that outlasts
// the interval is not joined by queued runs behind it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPeriodically } from '../../src/service/periodic.js';

describe('runPeriodically', () => {
  it('skips the ticks that come while a run is still going, and stop waits for that run', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    let started = 0;
    let finish = (): void => undefined;
    const task = runPeriodically(100, () => {
      started += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    t.mock.timers.tick(100);
    assert.equal(started, 1);
    t.mock.timers.tick(500);
    assert.equal(started, 1, 'no second run while the first is going');
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    return Promise.resolve()
      .then(() => assert.equal(stopped, false, 'stop waits for the run in progress'))
      .then(() => {
        finish();
        return stopping;
      })
      .then(() => {
        t.mock.timers.tick(1000);
        assert.equal(started, 1, 'the skipped ticks left no runs queued behind the first, and none runs after stop');
      });
  });

  it('runs again at the next tick once a run has ended, and hands failures to onError', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const errors: unknown[] = [];
    let started = 0;
    const task = runPeriodically(
      100,
      () => {
        started += 1;
        return Promise.reject(new Error(`run ${started}`));
      },
      (error) => errors.push(error),
    );
    t.mock.timers.tick(100);
    await new Promise((resolve) => setImmediate(resolve));
    t.mock.timers.tick(100);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started, 2);
    assert.deepEqual(errors.map((error) => (error as Error).message), ['run 1', 'run 2']);
    await task.stop();
  });
});
