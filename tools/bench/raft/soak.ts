/**
 * Soak runner for the randomised fault test: `npm run soak:raft -- --from 1 --count 100000`.
 * Stops at the first failing seed and prints it with the command that replays it.
 */
import { replayCommand, runRandomFaultSeed, type RandomRunOptions } from '@kailash/raft';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`--${name} must be a non-negative integer`);
  return value;
}

const from = argument('from', 1);
const count = argument('count', 1000);
const verbose = process.argv.includes('--verbose');
// `--variant local-reads` serves reads from local state without ReadIndex: a known-broken variant
// to see what a failure report looks like.
const variantAt = process.argv.indexOf('--variant');
const options: RandomRunOptions = variantAt >= 0 && process.argv[variantAt + 1] === 'local-reads' ? { reads: 'local' } : {};
const started = Date.now();
let operations = 0;
for (let seed = from; seed < from + count; seed++) {
  const result = runRandomFaultSeed(seed, options);
  operations += result.operations;
  if (verbose) console.log(`seed ${seed}: ${result.ok ? 'ok' : 'FAIL'} (${result.description}, ${result.operations} ops, ${result.events} events)`);
  if (!result.ok) {
    console.error(`FAILED seed ${seed} (${result.description})\n${result.error}\nreplay: ${replayCommand(seed, options)}`);
    process.exit(1);
  }
  if (!verbose && (seed - from + 1) % 1000 === 0) {
    console.log(`${seed - from + 1} seeds ok (${((Date.now() - started) / 1000).toFixed(0)} s, ${operations} client ops)`);
  }
}
console.log(`all ${count} seeds from ${from} passed in ${((Date.now() - started) / 1000).toFixed(1)} s (${operations} client operations checked)`);
