import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size of a process in MiB, from /proc/<pid>/status. */
export function rssMiB(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Memory the kernel could give new processes now, in MiB. */
export function availableMiB(): number {
  const kb = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Share of one core a process used over a window: measures `during` and reads CPU before and after. */
export async function cpuShareDuring(
  pid: number,
  during: () => Promise<unknown>,
): Promise<{ share: number; seconds: number }> {
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  await during();
  const seconds = (performance.now() - started) / 1000;
  return { share: (cpuSeconds(pid) - cpuBefore) / seconds, seconds };
}
