// One line of Linux's /proc/<pid>/stat (or /proc/<pid>/task/<tid>/stat), as the CPU samplers read it.

/** USER_HZ on Linux: the unit of a stat line's CPU times. */
export const TICKS_PER_SECOND = 100;

export interface ProcStat {
  ppid: number;
  /** utime + stime, in ticks. */
  cpuTicks: number;
}

export function parseProcStat(line: string): ProcStat {
  // The command name may hold spaces and parentheses: fields start after its last `)`, with
  // `state`; ppid is the 2nd, utime and stime the 12th and 13th.
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}
