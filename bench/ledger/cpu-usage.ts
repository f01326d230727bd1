import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the CPU went during a run, in cores (CPU seconds per wall second). On a machine shared by
 * the database, the service and the load generator, a throughput figure means little without
 * knowing which of them was saturated, and whether something else was using the machine.
 */
export interface CpuShare {
  /** Every process on the machine (from /proc/stat). */
  readonly machine: number;
  /** The postmaster and all its backends. */
  readonly postgres: number;
  /** This process (the load generator) and its finished children (pgbench). */
  readonly client: number;
  /** The service under test (all its replicas), when there is one. */
  readonly service?: number;
  /** Whatever else ran: machine − the above. */
  readonly other: number;
}

/** CPU seconds consumed so far; compare two with `cpuShare`. */
export interface CpuSnapshot {
  readonly at: number;
  readonly machine: number;
  readonly postgres: number;
  readonly client: number;
  readonly service?: number;
}

/** Linux reports process times in clock ticks of USER_HZ, which is 100 on every Linux port. */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name: [0] is field 3 (state). */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const field = (fields: readonly string[], n: number): number => Number(fields[n - 3] ?? 0);

/**
 * CPU seconds of one process so far: utime + stime (fields 14, 15), plus cutime + cstime (16, 17)
 * of its reaped children if asked; 0 when it is gone (or not on Linux).
 */
export function processSeconds(pid: number | 'self', withChildren: boolean): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  const own = field(fields, 14) + field(fields, 15);
  const children = withChildren ? field(fields, 16) + field(fields, 17) : 0;
  return (own + children) / TICKS_PER_SECOND;
}

/**
 * The postmaster's own and reaped children's time plus that of its living children: a backend
 * that exits during the run moves from the second sum to the first, so the total stays exact.
 */
function postgresSeconds(postmasterPid: number): number {
  let seconds = processSeconds(postmasterPid, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && field(fields, 4) === postmasterPid)
      seconds += processSeconds(Number(entry), false);
  }
  return seconds;
}

/** Busy time of all CPUs: everything in the `cpu` line of /proc/stat but idle and iowait. */
function machineSeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0);
  return busy / TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by the machine, PostgreSQL (`postmasterPid`), this process and the
 * service's processes. Undefined where /proc is missing (not Linux): the report then leaves CPU out.
 */
export function cpuSnapshot(
  postmasterPid: number,
  servicePids: readonly number[] = [],
): CpuSnapshot | undefined {
  if (process.platform !== 'linux') return undefined;
  return {
    at: performance.now(),
    machine: machineSeconds(),
    postgres: postgresSeconds(postmasterPid),
    client: processSeconds('self', true),
    ...(servicePids.length === 0
      ? {}
      : { service: servicePids.reduce((sum, pid) => sum + processSeconds(pid, false), 0) }),
  };
}

/** Cores used between two snapshots, rounded to hundredths. */
export function cpuShare(
  before: CpuSnapshot | undefined,
  after: CpuSnapshot | undefined,
): CpuShare | undefined {
  if (!before || !after) return undefined;
  const wall = (after.at - before.at) / 1000;
  const cores = (seconds: number) => Math.round((seconds / wall) * 100) / 100;
  const machine = cores(after.machine - before.machine);
  const postgres = cores(after.postgres - before.postgres);
  const client = cores(after.client - before.client);
  const service =
    after.service === undefined || before.service === undefined
      ? undefined
      : cores(after.service - before.service);
  // Clamped: the two clocks are read a few microseconds apart, enough for a -0.01 on a quiet machine.
  const other = Math.max(0, Math.round((machine - postgres - client - (service ?? 0)) * 100) / 100);
  return { machine, postgres, client, ...(service === undefined ? {} : { service }), other };
}
