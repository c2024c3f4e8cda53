import { describe, expect, it } from 'vitest';
import { parseProcStat } from '../../bench/procStat';

describe('parseProcStat', () => {
  it('reads ppid and utime + stime after a command name holding spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
    const line = '4242 (node (worker) 1) S 17 4242 4242 0 -1 4194304 900 0 3 0 250 31 0 0 20 0 11 0';
    expect(parseProcStat(line)).toEqual({ ppid: 17, cpuTicks: 281 });
  });

  it("reads this process's own line", async () => {
    const { readFileSync } = await import('node:fs');
    expect(parseProcStat(readFileSync('/proc/self/stat', 'utf8')).ppid).toBe(process.ppid);
  });
});
