// CPU seconds of each of this process's threads (Linux /proc), sampled while a scenario runs.
// On a shared machine wall time says little about a pipeline of threads (any of them may be
// descheduled), but the busiest thread's CPU time bounds its wall time once a core is free.
// A thread that exits between samples loses at most its last interval.

import { readFileSync, readdirSync } from 'node:fs';
import { parseProcStat, TICKS_PER_SECOND } from './procStat';

export interface ThreadCpuSampler {
  /** Stops sampling; the CPU seconds of the busiest thread seen, or null without /proc. */
  stop(): number | null;
}

export function sampleThreadCpu(intervalMs = 100): ThreadCpuSampler {
  const ticksByThread = new Map<string, number>();
  const sample = () => {
    let threads: string[];
    try {
      threads = readdirSync('/proc/self/task');
    } catch {
      return;
    }
    for (const tid of threads) {
      try {
        ticksByThread.set(tid, parseProcStat(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')).cpuTicks);
      } catch {
        // The thread exited between the listing and the read.
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return ticksByThread.size === 0 ? null : Math.max(...ticksByThread.values()) / TICKS_PER_SECOND;
    },
  };
}
