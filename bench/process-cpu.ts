import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of a process the benchmark did not start (a peer SCIM server), read
 * from Linux's /proc. Roster and hello-world report their own counters over IPC (meter.ts);
 * a peer can only be read from outside, by its PID.
 */

/** The fields of /proc/PID/stat the benchmark reads (times in clock ticks, RSS in pages). */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly utimeTicks: number;
  readonly stimeTicks: number;
  /** CPU time of children that have exited and been waited for. */
  readonly cutimeTicks: number;
  readonly cstimeTicks: number;
  readonly rssPages: number;
}

/**
 * Parses one /proc/PID/stat line (proc(5)). The command name, field 2, is in parentheses and
 * may itself hold spaces and parentheses, so the fields are counted from its last `)`.
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const pid = Number(text.slice(0, text.indexOf(' (')));
  // After ") ": field 3 (state) is index 0, so field n is index n - 3.
  const fields = text.slice(close + 2).trim().split(' ');
  const field = (n: number): number => {
    const value = Number(fields[n - 3]);
    if (close < 0 || !Number.isInteger(value)) throw new Error(`not a /proc/PID/stat line (field ${n}): ${text.slice(0, 120)}`);
    return value;
  };
  if (!Number.isInteger(pid)) throw new Error(`not a /proc/PID/stat line: ${text.slice(0, 120)}`);
  return { pid, ppid: field(4), utimeTicks: field(14), stimeTicks: field(15), cutimeTicks: field(16), cstimeTicks: field(17), rssPages: field(24) };
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // exited between the listing and the read
  }
}

function sysconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

let units: { readonly ticksPerSecond: number; readonly pageBytes: number } | undefined;

function systemUnits(): { readonly ticksPerSecond: number; readonly pageBytes: number } {
  units ??= { ticksPerSecond: sysconf('CLK_TCK', 100), pageBytes: sysconf('PAGESIZE', 4096) };
  return units;
}

/** The PIDs of `root` and of every live process descending from it. */
function treeOf(root: ProcStat): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat === undefined || stat.pid === root.pid) continue;
    const siblings = children.get(stat.ppid);
    if (siblings === undefined) children.set(stat.ppid, [stat]);
    else siblings.push(stat);
  }
  const tree = [root];
  for (let index = 0; index < tree.length; index += 1) tree.push(...(children.get((tree[index] as ProcStat).pid) ?? []));
  return tree;
}

/** A process tree's counters at one instant. */
export interface TreeUsage {
  /** User CPU time of the process, its live descendants and their waited-for children, in µs. */
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  /** Resident memory of the process and its live descendants, summed. */
  readonly rssBytes: number;
  /** The root process's own peak RSS (VmHWM). */
  readonly peakRssBytes: number;
  /** Processes in the tree (1 when the server has no child processes). */
  readonly processes: number;
}

function peakRssOf(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time (all threads) and RSS of process `pid` and of all its live descendants, so that a
 * server that serves from a child process (a cluster, a supervisor) is measured whole; the
 * times of descendants that exited and were waited for are in their parent's cutime/cstime.
 * Resolution is one clock tick (10 ms at the usual 100 Hz). Undefined when `pid` is gone.
 */
export function readTreeUsage(pid: number): TreeUsage | undefined {
  const root = readStat(pid);
  if (root === undefined) return undefined;
  const { ticksPerSecond, pageBytes } = systemUnits();
  const tree = treeOf(root);
  const micros = (ticks: number): number => (ticks * 1e6) / ticksPerSecond;
  let user = 0;
  let system = 0;
  let rss = 0;
  for (const stat of tree) {
    user += stat.utimeTicks + stat.cutimeTicks;
    system += stat.stimeTicks + stat.cstimeTicks;
    rss += stat.rssPages;
  }
  return { cpuUserUs: micros(user), cpuSystemUs: micros(system), rssBytes: rss * pageBytes, peakRssBytes: peakRssOf(pid), processes: tree.length };
}
