import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc; undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU each member spends during `work`: milliseconds per operation, the busiest member first. */
export async function cpuPerOperation<T extends { operations: number }>(
  pids: ReadonlyMap<string, number>,
  work: () => Promise<T>,
): Promise<{ result: T; msPerOperation: number[] }> {
  const before = new Map([...pids].map(([member, pid]) => [member, cpuSeconds(pid)]));
  const result = await work();
  const used = [...pids].map(([member, pid]) => ((cpuSeconds(pid) ?? 0) - (before.get(member) ?? 0)) * 1000);
  return {
    result,
    msPerOperation: used.map((ms) => ms / Math.max(1, result.operations)).sort((a, b) => b - a),
  };
}
