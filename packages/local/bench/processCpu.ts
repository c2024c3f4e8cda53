// CPU seconds (user + system) of this process and of one of its descendants (Linux /proc): what
// the import scenario reports for itself and for DynamoDB Local's JVM, which it started. On this 2-core
// machine wall time drifts by a third between runs; the CPU an import costs drifts far less.

import { readFileSync, readdirSync } from 'node:fs';
import { parseProcStat, TICKS_PER_SECOND } from './procStat';

interface ProcessStat {
  pid: number;
  ppid: number;
  command: string;
  cpuTicks: number;
}

function processStats(): ProcessStat[] {
  const stats: ProcessStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { ppid, cpuTicks } = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      stats.push({ pid: Number(entry), ppid, command: readFileSync(`/proc/${entry}/cmdline`, 'utf8'), cpuTicks });
    } catch {
      // Exited between the listing and the read.
    }
  }
  return stats;
}

/** CPU seconds so far of this process and of its descendant whose command line contains `childMarker`; null without /proc. */
export function processCpuSeconds(childMarker: string): { self: number; child: number | null } | null {
  let stats: ProcessStat[];
  try {
    stats = processStats();
  } catch {
    return null;
  }
  const byPid = new Map(stats.map((stat) => [stat.pid, stat]));
  const descends = (stat: ProcessStat): boolean => {
    for (let at = byPid.get(stat.ppid); at; at = byPid.get(at.ppid)) if (at.pid === process.pid) return true;
    return false;
  };
  const child = stats.find((stat) => stat.command.includes(childMarker) && descends(stat));
  const usage = process.cpuUsage();
  return { self: (usage.user + usage.system) / 1e6, child: child ? child.cpuTicks / TICKS_PER_SECOND : null };
}
