import { RaftError } from '../../core/errors';
import type { NodeId } from '../../core/types';
import type { SimCluster } from './cluster';

const decoder = new TextDecoder();

/** Helpers in the manner of the 6.824 tester (checkOneLeader, one, nCommitted), in virtual time. */
export class ScenarioError extends RaftError {}

/** Waits for exactly one leader among `among` (default: live nodes) and returns it. */
export function checkOneLeader(
  cluster: SimCluster,
  among: readonly NodeId[] = cluster.liveIds(),
  maxMs = 3000,
): NodeId {
  let found: NodeId | undefined;
  cluster.runUntil(() => {
    found = leaderAmong(cluster, among);
    return found !== undefined;
  }, maxMs);
  if (found === undefined) throw new ScenarioError(`no leader among ${among.join(',')} after ${maxMs} ms`);
  return found;
}

/** The leader with the highest term among `among`, if any. */
export function leaderAmong(cluster: SimCluster, among: readonly NodeId[]): NodeId | undefined {
  let best: { id: NodeId; term: number } | undefined;
  for (const id of among) {
    if (!cluster.isAlive(id) || cluster.role(id) !== 'leader') continue;
    const term = cluster.termOf(id);
    if (!best || term > best.term) best = { id, term };
  }
  return best?.id;
}

export function checkNoLeader(cluster: SimCluster, among: readonly NodeId[]): void {
  const leader = leaderAmong(cluster, among);
  if (leader !== undefined) throw new ScenarioError(`unexpected leader ${leader} among ${among.join(',')}`);
}

/** The value applied at index and how many nodes applied it (state-machine safety is checked elsewhere). */
export function nCommitted(cluster: SimCluster, index: number): { count: number; value: string | undefined } {
  const data = cluster.appliedDataAt(index);
  const count = cluster.appliedCount(index);
  if (!data || data.length === 0) return { count, value: undefined };
  const command = JSON.parse(decoder.decode(data)) as { value?: string };
  return { count, value: command.value };
}

/**
 * 6.824's one(): submit `value` to whichever node accepts it as leader, then wait until at least
 * `expected` nodes applied it at that index; retries for up to maxMs. Returns the index.
 */
export function one(cluster: SimCluster, value: string, expected: number, maxMs = 10_000): number {
  const deadline = cluster.now + maxMs;
  while (cluster.now < deadline) {
    let index: number | undefined;
    for (const id of cluster.liveIds()) {
      if (cluster.role(id) !== 'leader') continue;
      try {
        index = cluster.proposeValue(id, value).index;
        break;
      } catch {
        // not leader any more, or backpressure: try the next node
      }
    }
    if (index !== undefined) {
      const at = index;
      const ok = cluster.runUntil(() => {
        const { count, value: applied } = nCommitted(cluster, at);
        return count >= expected && applied === value;
      }, 2000);
      if (ok) return at;
    } else {
      cluster.runFor(50);
    }
  }
  throw new ScenarioError(`one(${value}) failed to reach ${expected} nodes within ${maxMs} ms`);
}
