import { Session } from 'node:inspector/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly url: string; readonly functionName: string };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of the process while `work` ran, by where the code lives, largest first. */
export interface ProfileShare {
  readonly where: string;
  readonly share: number;
}

/** Runs `work` under V8's CPU profiler (what `node --cpu-prof` records) and sums self time by place. */
export async function profiled<T>(work: () => Promise<T>): Promise<{ result: T; profile: ProfileShare[] }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    return { result, profile: selfTimeByPlace(profile) };
  } finally {
    session.disconnect();
  }
}

function selfTimeByPlace(profile: Profile): ProfileShare[] {
  const placeOf = new Map(profile.nodes.map((node) => [node.id, place(node.callFrame)]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const where = placeOf.get(id) ?? 'other';
    totals.set(where, (totals.get(where) ?? 0) + delta);
    all += delta;
  });
  return [...totals]
    .map(([where, micros]) => ({ where, share: micros / all }))
    .sort((a, b) => b.share - a.share);
}

/** A package, a file of this repository, or what V8 calls the frame (idle, garbage collector). */
function place(frame: { url: string; functionName: string }): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
  if (pkg) return `package ${pkg}`;
  const file = /\/((?:apps|libs|tools)\/.+)$/.exec(frame.url)?.[1];
  if (file) return file;
  if (frame.url.startsWith('node:')) return 'Node internals';
  return frame.functionName === '(idle)'
    ? 'idle (waiting on PostgreSQL and NATS)'
    : frame.functionName || 'other';
}
