import { readdirSync, readFileSync } from 'node:fs';
import { processSeconds } from '../ledger/cpu-usage.js';
import type { ProcessSample } from './figures.js';

/** Resident set size from /proc/<pid>/status (`VmRSS: N kB`); 0 when the process is gone. */
function rssBytes(pid: number): number {
  try {
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kib ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function openFiles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** One reading of `pid`: CPU seconds so far, RSS and open descriptors (Linux /proc). */
export function sampleProcess(pid: number): ProcessSample {
  return {
    at: performance.now(),
    cpuSeconds: processSeconds(pid, false),
    rssBytes: rssBytes(pid),
    openFiles: openFiles(pid),
  };
}

/**
 * Reads `pid` now and every `intervalMs` until `stop()`, which takes a last reading and returns
 * them all. Cheap (three small /proc reads), so it runs in the load generator's process without
 * disturbing its clock. Empty where /proc is missing (not Linux).
 */
export function sampleProcessEvery(pid: number, intervalMs: number): { stop(): ProcessSample[] } {
  if (process.platform !== 'linux') return { stop: () => [] };
  const samples = [sampleProcess(pid)];
  const timer = setInterval(() => samples.push(sampleProcess(pid)), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(sampleProcess(pid));
      return samples;
    },
  };
}
