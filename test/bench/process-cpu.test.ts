import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { parseProcStat, readTreeUsage, type TreeUsage } from '../../bench/process-cpu.js';

/** Burns `ms` of CPU time (by its own clock, not the wall's), then prints "burned". */
const burn = (ms: number): string => `const s = process.cpuUsage(); while (process.cpuUsage(s).user < ${ms * 1000}) {} console.log('burned');`;
const cpuMs = (usage: TreeUsage): number => (usage.cpuUserUs + usage.cpuSystemUs) / 1000;
/** One clock tick at 100 Hz, the resolution of /proc times, twice over. */
const TICKS_MS = 20;

describe('bench: CPU time of a peer from /proc', () => {
  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    const fields = ['S', '1', '4000', '4000', '0', '-1', '4194560', '100', '0', '0', '0', '250', '30', '7', '2', '20', '0', '11', '0', '9000', '123456789', '3000'];
    const stat = parseProcStat(`4242 (node (worker) x) ${fields.join(' ')} 0 0 0`);
    assert.deepEqual(stat, { pid: 4242, ppid: 1, utimeTicks: 250, stimeTicks: 30, cutimeTicks: 7, cstimeTicks: 2, rssPages: 3000 });
  });

  it('refuses text that is not a stat line', () => {
    assert.throws(() => parseProcStat('hello world'), /not a \/proc\/PID\/stat line/);
  });

  it('is undefined for a process that does not exist', () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    assert.equal(readTreeUsage(child.pid), undefined);
  });

  it("includes a live child process's CPU time in its parent's", async () => {
    const before = readTreeUsage(process.pid);
    assert.ok(before !== undefined);
    const child = spawn(process.execPath, ['-e', `${burn(300)} setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(child.stdout, 'data');
      const own = readTreeUsage(child.pid ?? 0);
      const after = readTreeUsage(process.pid);
      assert.ok(own !== undefined && after !== undefined);
      assert.ok(cpuMs(own) >= 300 - TICKS_MS, `the child used ${cpuMs(own)} ms`);
      assert.ok(after.processes >= 2);
      assert.ok(cpuMs(after) - cpuMs(before) >= cpuMs(own) - TICKS_MS, `the tree grew by ${cpuMs(after) - cpuMs(before)} ms, the child used ${cpuMs(own)} ms`);
    } finally {
      child.kill();
    }
  });

  it('keeps the CPU time of a child that has exited and been waited for', () => {
    const before = readTreeUsage(process.pid);
    const child = spawnSync(process.execPath, ['-e', burn(300)], { encoding: 'utf8' });
    const after = readTreeUsage(process.pid);
    assert.equal(child.stdout.trim(), 'burned');
    assert.ok(before !== undefined && after !== undefined);
    assert.ok(cpuMs(after) - cpuMs(before) >= 300 - TICKS_MS, `the tree grew by ${cpuMs(after) - cpuMs(before)} ms`);
  });
});
