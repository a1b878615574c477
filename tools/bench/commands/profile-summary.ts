// Summarises a V8 .cpuprofile (as `node --cpu-prof` writes it) by self time, per function and per
// module, so a profile of the service under `BENCH_CPU_PROF_DIR=… npm run bench:commands` reads in a
// terminal. Usage: bash tools/bench/run.sh tools/bench/commands/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** node_modules/<pkg> (or @scope/pkg), a workspace source file, or V8's own buckets such as (garbage collector). */
const moduleOf = (url: string): string => {
  if (url === '') return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return url;
  const source = /dist\/apps\/[^/]+\/(.+)$/.exec(url);
  return source ? (source[1] as string) : url.replace(/^file:\/\//, '');
};

const add = (totals: Map<string, number>, key: string, us: number) =>
  totals.set(key, (totals.get(key) ?? 0) + us);

function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    total += us;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? ` ${moduleOf(frame.url)}:${frame.lineNumber + 1}` : '';
    add(functions, `${name}${where}`, us);
    add(modules, frame.url ? moduleOf(frame.url) : name, us);
  });
  return { total, functions, modules };
}

const table = (title: string, totals: Map<string, number>, total: number, top: number) =>
  [
    `${title}`,
    ...[...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([key, us]) =>
          `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
      ),
  ].join('\n');

const [file, top = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const { total, functions, modules } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n`);
console.log(table('self time by module', modules, total, Number(top)));
console.log();
console.log(table('self time by function', functions, total, Number(top)));
