/**
 * Soak runner for the randomised fault test:
 *   npm run soak:raft -- --from 1 --count 100000 [--workers 2] [--verbose] [--variant local-reads]
 * Stops at the first failing seed and prints it with the command that replays it. With --workers N
 * the range is split into N contiguous slices, each run by a child process.
 */
import { spawn } from 'node:child_process';
import { replayCommand, runRandomFaultSeed, type RandomRunOptions } from '@kailash/raft/testing';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`--${name} must be a non-negative integer`);
  return value;
}

const from = argument('from', 1);
const count = argument('count', 1000);
const workers = Math.max(1, argument('workers', 1));
const verbose = process.argv.includes('--verbose');
// `--variant local-reads` serves reads from local state without ReadIndex: a known-broken variant
// to see what a failure report looks like.
const variantAt = process.argv.indexOf('--variant');
const variant = variantAt >= 0 ? process.argv[variantAt + 1] : undefined;
const options: RandomRunOptions = variant === 'local-reads' ? { reads: 'local' } : {};

function runSlice(start: number, length: number): void {
  const started = Date.now();
  let operations = 0;
  for (let seed = start; seed < start + length; seed++) {
    const result = runRandomFaultSeed(seed, options);
    operations += result.operations;
    if (verbose)
      console.log(
        `seed ${seed}: ${result.ok ? 'ok' : 'FAIL'} (${result.description}, ${result.operations} ops, ${result.events} events)`,
      );
    if (!result.ok) {
      console.error(
        `FAILED seed ${seed} (${result.description})\n${result.error}\nreplay: ${replayCommand(seed, options)}`,
      );
      process.exit(1);
    }
    if (!verbose && (seed - start + 1) % 1000 === 0) {
      console.log(
        `seeds ${start}..${seed} ok (${((Date.now() - started) / 1000).toFixed(0)} s, ${operations} client ops)`,
      );
    }
  }
  console.log(
    `all ${length} seeds from ${start} passed in ${((Date.now() - started) / 1000).toFixed(1)} s (${operations} client operations checked)`,
  );
}

/** Runs the slices in child processes (same Node flags, so the TypeScript loader comes along). */
function runInWorkers(): void {
  const size = Math.ceil(count / workers);
  let running = 0;
  let failed = false;
  for (let start = from; start < from + count; start += size) {
    const length = Math.min(size, from + count - start);
    const args = [
      ...process.execArgv,
      process.argv[1] as string,
      '--from',
      String(start),
      '--count',
      String(length),
    ];
    if (verbose) args.push('--verbose');
    if (variant) args.push('--variant', variant);
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    running++;
    child.on('exit', (code) => {
      failed ||= code !== 0;
      if (--running === 0) process.exit(failed ? 1 : 0);
    });
  }
}

if (workers > 1) runInWorkers();
else runSlice(from, count);
